{{/*
The txwatch container, for the Deployment and the Knative Service alike; called with a dict of the chart's context
and "knative" (Knative names no ports, accepts a probe's port only as the container's, and by default refuses a pod
security context: there the non-root user and seccomp profile go into the container's).
*/}}
{{- define "txwatch.container" -}}
- name: txwatch
  image: {{ include "txwatch.image" . | quote }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  ports:
    - containerPort: 8080
      protocol: TCP
      {{- if not .knative }}
      name: http
      {{- end }}
  envFrom:
    - configMapRef:
        name: {{ include "txwatch.fullname" . }}
    {{- with .Values.kafka.existingSecret }}
    - secretRef:
        name: {{ . }}
    {{- end }}
  env:
    - name: QUARKUS_DATASOURCE_PASSWORD
      valueFrom:
        secretKeyRef:
          name: {{ required "postgresql.existingSecret: the Secret holding the database password" .Values.postgresql.existingSecret }}
          key: {{ .Values.postgresql.passwordKey }}
    {{- with .Values.redis.existingSecret }}
    - name: QUARKUS_REDIS_PASSWORD
      valueFrom:
        secretKeyRef:
          name: {{ . }}
          key: {{ $.Values.redis.passwordKey }}
    {{- end }}
    {{- if .knative }}
    # a scaled-to-zero service cannot hold a Kafka consumer: the KafkaSource delivers the topic as CloudEvents
    - name: MP_MESSAGING_INCOMING_TRANSACTIONS_ENABLED
      value: "false"
    {{- end }}
  startupProbe:
    httpGet:
      path: /q/health/started
      port: {{ if .knative }}8080{{ else }}http{{ end }}
    periodSeconds: {{ .Values.probes.startup.periodSeconds }}
    failureThreshold: {{ .Values.probes.startup.failureThreshold }}
  livenessProbe:
    httpGet:
      path: /q/health/live
      port: {{ if .knative }}8080{{ else }}http{{ end }}
    periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
    failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
  readinessProbe:
    httpGet:
      path: /q/health/ready
      port: {{ if .knative }}8080{{ else }}http{{ end }}
    periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
    failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
  resources:
    {{- toYaml .Values.resources | nindent 4 }}
  securityContext:
    {{- if .knative }}
    {{- toYaml (merge (dict) .Values.securityContext .Values.podSecurityContext) | nindent 4 }}
    {{- else }}
    {{- toYaml .Values.securityContext | nindent 4 }}
    {{- end }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end }}
