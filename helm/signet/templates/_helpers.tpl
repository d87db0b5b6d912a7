{{/* Names, labels and the decisions every template shares. */}}

{{- define "signet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name, at most 46 characters: "-redis-auth" still fits a DNS label, and the
     Redis StatefulSet's pod name and controller-revision-hash label stay within 63. */}}
{{- define "signet.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 46 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 46 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 46 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "signet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "signet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "signet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: issuer
{{- end -}}

{{- define "signet.commonLabels" -}}
helm.sh/chart: {{ include "signet.chart" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: signet
{{- end -}}

{{/* Labels of signet's objects; the Redis objects carry component "redis" instead. */}}
{{- define "signet.labels" -}}
{{ include "signet.commonLabels" . }}
{{ include "signet.selectorLabels" . }}
{{- end -}}

{{- define "signet.redis.labels" -}}
{{ include "signet.commonLabels" . }}
{{ include "signet.redis.selectorLabels" . }}
{{- end -}}

{{- define "signet.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "signet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end -}}

{{- define "signet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "signet.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "signet.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/* "true" when signet uses Redis (external URL, existing Secret or the bundled pod), else "". */}}
{{- define "signet.redis.enabled" -}}
{{- if or .Values.redis.url .Values.redis.existingSecret .Values.redis.bundled.enabled -}}true{{- end -}}
{{- end -}}

{{/* The Secret and key SIGNET_REDIS_URL comes from. */}}
{{- define "signet.redis.urlSecretName" -}}
{{- .Values.redis.existingSecret | default (printf "%s-redis-url" (include "signet.fullname" .)) -}}
{{- end -}}
{{- define "signet.redis.urlSecretKey" -}}
{{- if .Values.redis.existingSecret -}}{{ .Values.redis.existingSecretKey }}{{- else -}}url{{- end -}}
{{- end -}}

{{/* The URL of the bundled Redis (its password URL-encoded). */}}
{{- define "signet.redis.bundledUrl" -}}
{{- $host := printf "%s-redis.%s.svc" (include "signet.fullname" .) .Release.Namespace -}}
{{- if .Values.redis.bundled.password -}}
{{- printf "redis://:%s@%s:6379/0" (urlquery .Values.redis.bundled.password) $host -}}
{{- else -}}
{{- printf "redis://%s:6379/0" $host -}}
{{- end -}}
{{- end -}}

{{- define "signet.kek.enabled" -}}
{{- if or .Values.kek.value .Values.kek.existingSecret -}}true{{- end -}}
{{- end -}}
{{- define "signet.kek.secretName" -}}
{{- .Values.kek.existingSecret | default (printf "%s-kek" (include "signet.fullname" .)) -}}
{{- end -}}
{{- define "signet.kek.secretKey" -}}
{{- if .Values.kek.existingSecret -}}{{ .Values.kek.existingSecretKey }}{{- else -}}kek{{- end -}}
{{- end -}}

{{/* Where the pod finds its files (the container's root filesystem is read-only). */}}
{{- define "signet.paths.config" -}}/etc/signet/config/signet.yaml{{- end -}}
{{- define "signet.paths.kek" -}}/etc/signet/kek/kek{{- end -}}
{{/* keys.dir is a directory signet creates (mode 0700) inside the emptyDir: the emptyDir's
     own root is group-writable under fsGroup, which signet refuses for a key directory. */}}
{{- define "signet.paths.keys" -}}/var/lib/signet/keys{{- end -}}

{{/* "true" when any client or user carries a clear secret. */}}
{{- define "signet.config.hasPlaintext" -}}
{{- range .Values.clients -}}{{- if .client_secret -}}true{{- end -}}{{- end -}}
{{- range .Values.users -}}{{- if .password -}}true{{- end -}}{{- end -}}
{{- end -}}

{{/* "true" when signet.yaml goes to a Secret rather than a ConfigMap. */}}
{{- define "signet.config.inSecret" -}}
{{- if or .Values.configInSecret (include "signet.config.hasPlaintext" .) -}}true{{- end -}}
{{- end -}}

{{/* signet.yaml, as the pod reads it. */}}
{{- define "signet.config" -}}
{{- $c := .Values.config | default dict -}}
{{- $cfg := dict "issuer" .Values.issuer "listen" "0.0.0.0:8080" -}}
{{- if hasKey $c "threads" -}}{{- $_ := set $cfg "threads" $c.threads -}}{{- end -}}
{{- with $c.tokens -}}{{- $_ := set $cfg "tokens" . -}}{{- end -}}
{{- $keys := deepCopy ($c.keys | default dict) -}}
{{- $_ := set $keys "dir" (include "signet.paths.keys" .) -}}
{{- if include "signet.kek.enabled" . -}}
{{- $_ := set $keys "encryption_key_file" (include "signet.paths.kek" .) -}}
{{- end -}}
{{- $_ := set $cfg "keys" $keys -}}
{{- $server := deepCopy ($c.server | default dict) -}}
{{- $_ := set $server "shutdown_grace" .Values.shutdownGraceSeconds -}}
{{- $_ := set $cfg "server" $server -}}
{{- with $c.log -}}{{- $_ := set $cfg "log" . -}}{{- end -}}
{{- with $c.login -}}{{- $_ := set $cfg "login" . -}}{{- end -}}
{{- with .Values.clients -}}{{- $_ := set $cfg "clients" . -}}{{- end -}}
{{- with .Values.users -}}{{- $_ := set $cfg "users" . -}}{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}

{{/* Every check values.schema.json cannot express, reported at once. */}}
{{- define "signet.validate" -}}
{{- $errors := list -}}
{{- $redis := include "signet.redis.enabled" . -}}
{{- if not .Values.issuer -}}
{{- $errors = append $errors "issuer is required: the https URL clients reach signet at, e.g. --set issuer=https://id.example.com" -}}
{{- else if not (hasPrefix "https://" .Values.issuer) -}}
{{- $errors = append $errors (printf "issuer %q must be an https URL (OIDC Discovery §3, RFC 8414 §2); TLS ends at the ingress" .Values.issuer) -}}
{{- end -}}
{{- if and (not $redis) .Values.autoscaling.enabled -}}
{{- $errors = append $errors "autoscaling.enabled needs Redis: replicas need shared state (keys, revocations). Set redis.url, redis.existingSecret or redis.bundled.enabled=true" -}}
{{- else if and (not $redis) (not .Values.autoscaling.enabled) (gt (int .Values.replicaCount) 1) -}}
{{- $errors = append $errors (printf "replicaCount is %v but no Redis is configured: replicas need shared state (each pod would sign with keys of its own). Set redis.url, redis.existingSecret or redis.bundled.enabled=true, or replicaCount=1" .Values.replicaCount) -}}
{{- end -}}
{{- if and $redis (not (include "signet.kek.enabled" .)) -}}
{{- $errors = append $errors "Redis needs a key-encryption key for the signing keys it stores: set kek.existingSecret (kubectl create secret generic NAME --from-file=kek=<(openssl rand -base64 32)) or kek.value=$(openssl rand -base64 32). The chart does not generate one: it would change on every upgrade" -}}
{{- end -}}
{{- if and .Values.kek.value .Values.kek.existingSecret -}}
{{- $errors = append $errors "set kek.value or kek.existingSecret, not both" -}}
{{- end -}}
{{- if and .Values.kek.value (ne (len (b64dec .Values.kek.value)) 32) -}}
{{- $errors = append $errors "kek.value must be the base64 of exactly 32 random bytes (openssl rand -base64 32)" -}}
{{- end -}}
{{- $sources := 0 -}}
{{- range $on := list .Values.redis.url .Values.redis.existingSecret .Values.redis.bundled.enabled -}}
{{- if $on -}}{{- $sources = add1 $sources -}}{{- end -}}
{{- end -}}
{{- if gt $sources 1 -}}
{{- $errors = append $errors "set only one of redis.url, redis.existingSecret and redis.bundled.enabled" -}}
{{- end -}}
{{- if and (include "signet.config.hasPlaintext" .) (not .Values.allowPlaintextSecrets) -}}
{{- $errors = append $errors "a client has client_secret or a user has password in clear: use client_secret_hash / password_hash (the output of `signet hash-secret`), or set allowPlaintextSecrets=true (development only)" -}}
{{- end -}}
{{- if le (int .Values.terminationGracePeriodSeconds) (add .Values.shutdownGraceSeconds .Values.preStopSleepSeconds) -}}
{{- $errors = append $errors (printf "terminationGracePeriodSeconds (%v) must be longer than preStopSleepSeconds + shutdownGraceSeconds (%v + %v): Kubernetes would kill signet before it drained its requests" .Values.terminationGracePeriodSeconds .Values.preStopSleepSeconds .Values.shutdownGraceSeconds) -}}
{{- end -}}
{{- if and .Values.preStopSleepSeconds (semverCompare "<1.30.0-0" .Capabilities.KubeVersion.Version) -}}
{{- $errors = append $errors (printf "preStopSleepSeconds needs Kubernetes 1.30 or later (the preStop sleep action); this cluster is %s: set it to 0" .Capabilities.KubeVersion.Version) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- $errors = append $errors "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) .Values.issuer -}}
{{- if not (urlParse .Values.issuer).hostname -}}
{{- $errors = append $errors "ingress.host is empty and the issuer has no host to take it from" -}}
{{- end -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nsignet chart: the values need changes:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
