DELETE FROM document_chunks WHERE document_id = :documentId
