{{- define "podflow.labels" -}}
app.kubernetes.io/name: podflow
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: (list $ "api") */}}
{{- define "podflow.selector" -}}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "podflow.image" -}}
image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  runAsNonRoot: true
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: { drop: [ALL] }
{{- end -}}

{{/* A secret's key as an env var when its Secret is named: (list "VAR" .Values.llm) */}}
{{- define "podflow.secretEnv" -}}
{{- $ref := index . 1 -}}
{{- if $ref.existingSecret }}
- name: {{ index . 0 }}
  valueFrom: { secretKeyRef: { name: {{ $ref.existingSecret }}, key: {{ $ref.key }} } }
{{- end -}}
{{- end -}}

{{/*
DATABASE_URL and, when it names a PgBouncer in transaction mode, PODFLOW_DIRECT_DATABASE_URL
(PostgreSQL itself, from the same Secret) for what cannot go through it: LISTEN, migrations, the
API's readers and the notifier's pool (README, Connections and PgBouncer). (list $ role): the API
takes database.apiKey when set, its PgBouncer entry acting as podflow_api.
*/}}
{{- define "podflow.databaseEnv" -}}
{{- $ := index . 0 -}}{{- $role := index . 1 -}}
{{- $database := $.Values.database -}}
{{- if and (eq $role "api") $database.apiKey }}
{{- $database = merge (dict "key" $database.apiKey) $database }}
{{- end }}
{{- include "podflow.secretEnv" (list "DATABASE_URL" $database) }}
{{- with $.Values.database.directKey }}
- name: PODFLOW_DIRECT_DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ $.Values.database.existingSecret }}, key: {{ . }} } }
{{- end }}
{{- end -}}

{{/*
A role's environment and files: (list $ "api"|"pod"|"notifier"). Settings every role shares, the
role's own env values, the operator's mcp.json for the API and the pods (PODFLOW_MCP_CONFIG) and
FCM's key for the notifier. /tmp is writable; the root file system is not.
*/}}
{{- define "podflow.env" -}}
{{- $ := index . 0 -}}{{- $role := index . 1 -}}
{{- include "podflow.databaseEnv" (list $ $role) }}
- { name: PODFLOW_LOG_FORMAT, value: {{ $.Values.logFormat | quote }} }
- { name: PODFLOW_LOG_LEVEL, value: {{ $.Values.logLevel | quote }} }
{{- range $name, $value := merge (dict) (index $.Values $role).env $.Values.env }}
- { name: {{ $name }}, value: {{ $value | quote }} }
{{- end }}
{{- if include "podflow.hasMcp" . }}
- { name: PODFLOW_MCP_CONFIG, value: /etc/podflow/mcp/mcp.json }
{{- end }}
{{- if include "podflow.hasFcm" . }}
- { name: GOOGLE_APPLICATION_CREDENTIALS, value: /etc/podflow/fcm/{{ $.Values.fcm.key }} }
{{- end }}
{{- end -}}

{{- define "podflow.hasMcp" -}}
{{- if and (index . 0).Values.mcpServers (has (index . 1) (list "api" "pod")) }}true{{ end -}}
{{- end -}}
{{- define "podflow.hasFcm" -}}
{{- if and (index . 0).Values.fcm.existingSecret (eq (index . 1) "notifier") }}true{{ end -}}
{{- end -}}

{{- define "podflow.volumeMounts" -}}
- { name: tmp, mountPath: /tmp }
{{- if include "podflow.hasMcp" . }}
- { name: mcp, mountPath: /etc/podflow/mcp, readOnly: true }
{{- end }}
{{- if include "podflow.hasFcm" . }}
- { name: fcm, mountPath: /etc/podflow/fcm, readOnly: true }
{{- end }}
{{- end -}}

{{- define "podflow.volumes" -}}
{{- $ := index . 0 -}}
- { name: tmp, emptyDir: {} }
{{- if include "podflow.hasMcp" . }}
- { name: mcp, configMap: { name: {{ $.Release.Name }}-mcp } }
{{- end }}
{{- if include "podflow.hasFcm" . }}
- { name: fcm, secret: { secretName: {{ $.Values.fcm.existingSecret }} } }
{{- end }}
{{- end -}}

{{/*
Probes on one port: (list "port-name"). Liveness asks /healthz, which never touches the database:
an outage must not turn into a restart storm. Readiness asks /readyz (the database answers). The
startup probe covers the wait for the database at start (PODFLOW_DB_WAIT_SECONDS, 60 s).
*/}}
{{- define "podflow.probes" -}}
startupProbe:
  httpGet: { path: /healthz, port: {{ index . 0 }} }
  periodSeconds: 5
  failureThreshold: 30
livenessProbe:
  httpGet: { path: /healthz, port: {{ index . 0 }} }
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet: { path: /readyz, port: {{ index . 0 }} }
  periodSeconds: 5
  failureThreshold: 2
{{- end -}}

{{/* A PodDisruptionBudget: (list $ "component" .Values.<role>.pdb) */}}
{{- define "podflow.pdb" -}}
{{- $ := index . 0 }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $.Release.Name }}-{{ index . 1 }}
  labels:
    {{- include "podflow.labels" $ | nindent 4 }}
spec:
  {{- toYaml (index . 2) | nindent 2 }}
  selector:
    matchLabels:
      {{- include "podflow.selector" (list $ (index . 1)) | nindent 6 }}
{{- end -}}

{{/* A Service for a component's metrics port: (list $ "component" port) */}}
{{- define "podflow.metricsService" -}}
{{- $ := index . 0 }}
apiVersion: v1
kind: Service
metadata:
  name: {{ $.Release.Name }}-{{ index . 1 }}
  labels:
    {{- include "podflow.labels" $ | nindent 4 }}
    app.kubernetes.io/component: {{ index . 1 }}
spec:
  clusterIP: None
  selector:
    {{- include "podflow.selector" (list $ (index . 1)) | nindent 4 }}
  ports:
    - { name: metrics, port: {{ index . 2 }}, targetPort: metrics }
{{- end -}}

{{/*
Scale up at once (doubling, or 4 pods, a minute); scale down slowly: a pod removed mid-task hands
its task back and the queue refills.
*/}}
{{- define "podflow.scalingBehavior" -}}
scaleUp:
  stabilizationWindowSeconds: 0
  selectPolicy: Max
  policies:
    - { type: Percent, value: 100, periodSeconds: 60 }
    - { type: Pods, value: 4, periodSeconds: 60 }
scaleDown:
  stabilizationWindowSeconds: 300
  policies:
    - { type: Percent, value: 25, periodSeconds: 60 }
{{- end -}}
