-- Definitions and agents belong to a tenant (issue 12). Until V12 proc_def (id, version) and
-- agents (id) were shared by all tenants, while instances (bpm_proc_inst.tenant_id, V1) and API
-- callers already were per tenant: one tenant could read, start and replace another's definitions
-- and agents. Now a definition id and an agent id name a row within one tenant: two tenants may
-- each have a definition 'greet', with versions numbered independently.

-- The rows written before tenants owned them go to 'default', the tenant every caller without a
-- principal uses (and every instance written before tenants existed has). The DEFAULT only fills
-- the existing rows; it is dropped at once, so every insert must name its tenant and none can land
-- in 'default' by forgetting to.
ALTER TABLE proc_def ADD COLUMN tenant_id text NOT NULL DEFAULT 'default';
ALTER TABLE proc_def ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE agents ADD COLUMN tenant_id text NOT NULL DEFAULT 'default';
ALTER TABLE agents ALTER COLUMN tenant_id DROP DEFAULT;

-- The keys: an id is unique within its tenant. (The instances' foreign key follows the copies
-- below, which give every instance's tenant the definition it runs.)
ALTER TABLE bpm_proc_inst DROP CONSTRAINT bpm_proc_inst_proc_def_id_proc_def_version_fkey;
ALTER TABLE proc_def DROP CONSTRAINT proc_def_pkey;
ALTER TABLE proc_def ADD CONSTRAINT proc_def_pkey PRIMARY KEY (tenant_id, id, version);
ALTER TABLE agents DROP CONSTRAINT agents_pkey;
ALTER TABLE agents ADD CONSTRAINT agents_pkey PRIMARY KEY (tenant_id, id);

-- An instance of another tenant started on a shared definition before this migration must still
-- find its definition, now looked up in its own tenant: that tenant gets a copy of every version
-- of each definition id its instances ran (so its latest version, and with it what a start runs,
-- stays what it was), and a copy of each agent those versions name (an llm-action's "agent", a
-- deep-research role's "agents"), which its running steps resolve in its tenant too. Nothing is
-- copied on a database used by 'default' alone.
INSERT INTO proc_def (tenant_id, id, version, name, definition, created_at)
SELECT used.tenant_id, d.id, d.version, d.name, d.definition, d.created_at
FROM (SELECT DISTINCT tenant_id, proc_def_id FROM bpm_proc_inst WHERE tenant_id <> 'default') used
JOIN proc_def d ON d.id = used.proc_def_id AND d.tenant_id = 'default';

INSERT INTO agents (tenant_id, id, name, persona, instructions, model, tools, orchestrator,
                    created_at, updated_at)
SELECT named.tenant_id, a.id, a.name, a.persona, a.instructions, a.model, a.tools, a.orchestrator,
       a.created_at, a.updated_at
FROM (SELECT DISTINCT d.tenant_id, ref #>> '{}' AS agent_id
      FROM proc_def d
      CROSS JOIN LATERAL (
          SELECT jsonb_path_query(d.definition, '$.activities[*].config.agent')
          UNION ALL
          SELECT jsonb_path_query(d.definition, '$.activities[*].config.agents.*')
      ) refs (ref)
      WHERE d.tenant_id <> 'default'
        AND jsonb_typeof(ref) = 'string') named
JOIN agents a ON a.id = named.agent_id AND a.tenant_id = 'default';

-- The instances' foreign key names the tenant too: an instance can only run a definition of its own
-- tenant.
ALTER TABLE bpm_proc_inst ADD CONSTRAINT bpm_proc_inst_proc_def_fkey
    FOREIGN KEY (tenant_id, proc_def_id, proc_def_version)
    REFERENCES proc_def (tenant_id, id, version);

-- V12's list indexes, led by the tenant: every list is now one tenant's, and an index without it
-- would step over every other tenant's rows on the way through a page (see V12 for the order each
-- one serves). V12 is applied on existing databases and stays as it was; its indexes are replaced.
DROP INDEX proc_def_created;
DROP INDEX proc_def_versions;
DROP INDEX agents_created;
-- A tenant's definitions in their latest versions (each older version is skipped on the way).
CREATE INDEX proc_def_tenant_created ON proc_def (tenant_id, created_at DESC, id DESC);
-- One definition's versions.
CREATE INDEX proc_def_tenant_versions ON proc_def (tenant_id, id, created_at DESC, version DESC);
-- A tenant's agents.
CREATE INDEX agents_tenant_created ON agents (tenant_id, created_at DESC, id DESC);
