{{/*
The txwatch container, for the Deployment and the Knative Service alike; called with a dict of the chart's context
and "knative" (Knative names no ports, takes no start-up probe, and accepts a probe's port only as the container's).
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
  {{- if not .knative }}
  startupProbe:
    httpGet:
      path: /q/health/started
      port: http
    periodSeconds: {{ .Values.probes.startup.periodSeconds }}
    failureThreshold: {{ .Values.probes.startup.failureThreshold }}
  {{- end }}
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
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end }}
