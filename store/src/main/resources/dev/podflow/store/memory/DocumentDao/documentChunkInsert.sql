INSERT INTO document_chunks (document_id, tenant_id, ordinal, content, embedding, embedding_model)
VALUES (:documentId, :tenantId, :ordinal, :content, CAST(:embedding AS real[]), :model)
