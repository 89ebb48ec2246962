// Validates Kubernetes manifests against the published schemas of their kinds (npm kubernetes-models and the
// @kubernetes-models packages for the Prometheus Operator, Knative and KEDA): required fields, types and values.
// Usage: node validate-manifests.mjs <file holding a JSON array of manifests>
// Prints one JSON line per manifest: {"kind", "name", "valid", "errors"}; a kind without a published model is
// reported with valid null, for the caller to decide.
import { readFileSync } from "node:fs";

const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "serving.knative.dev": "@kubernetes-models/knative",
  "keda.sh": "@kubernetes-models/keda",
};

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const base = packages[group] ?? "kubernetes-models";
  // kubernetes-models files the core group's kinds under their version alone: kubernetes-models/v1/Service
  const path = group === "" ? `${base}/${version}/${kind}` : `${base}/${group}/${version}/${kind}`;
  try {
    const module = await import(path);
    return module[kind];
  } catch {
    return undefined;
  }
}

const manifests = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const manifest of manifests) {
  const report = { kind: `${manifest.apiVersion}/${manifest.kind}`, name: manifest.metadata?.name ?? "" };
  const Model = await modelOf(manifest.apiVersion, manifest.kind);
  if (!Model) {
    console.log(JSON.stringify({ ...report, valid: null, errors: "no published model" }));
    continue;
  }
  try {
    new Model(manifest).validate();
    console.log(JSON.stringify({ ...report, valid: true }));
  } catch (error) {
    console.log(JSON.stringify({ ...report, valid: false, errors: String(error.message ?? error) }));
  }
}
