"""`make k8s-test`: the Kubernetes manifests rendered and checked.

Each kustomization is rendered by kustomize (built into kubectl), every resource is validated
strictly (unknown fields refused) against the API schemas of a current Kubernetes release
(kubernetes-validate), and what the deployment relies on is checked in the rendered YAML:
probes, resources, a hardened security context, Services and PDBs that select their pods, the
ConfigMap's Redis URL pointing at the Redis Service, Redis evicting only entries with a TTL,
the store's URL taken from its own Secret and naming the PostgreSQL Service, PostgreSQL's data
on a volume claim, the backfill Job giving each index its shard, and the hot folder's watchers
polling a volume they all share. Run from the repository root.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import yaml

HERE = Path(__file__).resolve().parent
KUSTOMIZATIONS = ["base", "overlays/production", "overlays/models-volume", "backfill", "watch"]
Resource = dict[str, Any]


def render(name: str) -> list[Resource]:
    done = subprocess.run(
        ["kubectl", "kustomize", str(HERE / name)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{name}: kustomize failed: {done.stderr.strip()}")
    return [r for r in yaml.safe_load_all(done.stdout) if r]


def of_kind(resources: list[Resource], kind: str) -> list[Resource]:
    return [r for r in resources if r["kind"] == kind]


def containers(resource: Resource) -> Iterator[Resource]:
    spec = resource["spec"]["template"]["spec"]
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def hardened(resource: Resource) -> list[str]:
    """What a workload's pods lack of a hardened security context and of resources."""
    problems = []
    pod = resource["spec"]["template"]["spec"]
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        problems.append("pods may run as root")
    for container in containers(resource):
        context = container.get("securityContext", {})
        name = f"{resource['metadata']['name']}/{container['name']}"
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: privilege escalation allowed")
        if not context.get("readOnlyRootFilesystem"):
            problems.append(f"{name}: writable root filesystem")
        if context.get("capabilities", {}).get("drop") != ["ALL"]:
            problems.append(f"{name}: capabilities not all dropped")
        limits = container.get("resources", {})
        if not limits.get("requests") or not limits.get("limits", {}).get("memory"):
            problems.append(f"{name}: no requests or memory limit")
    return problems


def service_checks(resources: list[Resource]) -> list[str]:
    problems = []
    deployments = {d["metadata"]["name"]: d for d in of_kind(resources, "Deployment")}
    depeche = deployments["depeche"]
    labels = depeche["spec"]["template"]["metadata"]["labels"]
    main = next(
        c for c in depeche["spec"]["template"]["spec"]["containers"] if c["name"] == "depeche"
    )
    for probe, path in (
        ("startupProbe", "/readyz"),
        ("readinessProbe", "/readyz"),
        ("livenessProbe", "/healthz"),
    ):
        if main.get(probe, {}).get("httpGet", {}).get("path") != path:
            problems.append(f"depeche: {probe} is not on {path}")
    if not depeche["spec"]["template"]["spec"].get("topologySpreadConstraints"):
        problems.append("depeche: no topology spread")
    for kind in ("Service", "PodDisruptionBudget"):
        for found in of_kind(resources, kind):
            selector = found["spec"]["selector"]
            selector = selector.get("matchLabels", selector)
            if found["metadata"]["name"] == "depeche" and not selector.items() <= labels.items():
                problems.append(f"{kind} depeche selects no depeche pod")
    [hpa] = of_kind(resources, "HorizontalPodAutoscaler")
    if hpa["spec"]["scaleTargetRef"]["name"] != "depeche":
        problems.append("the HPA scales something else")
    [config] = of_kind(resources, "ConfigMap")
    redis_url = config["data"]["DEPECHE_CACHE_URL"]
    [redis_service] = [s for s in of_kind(resources, "Service") if "redis" in s["metadata"]["name"]]
    port = redis_service["spec"]["ports"][0]["port"]
    if not redis_url.startswith(f"redis://{redis_service['metadata']['name']}:{port}/"):
        problems.append(f"DEPECHE_CACHE_URL {redis_url} is not the Redis Service")
    redis_args = next(containers(deployments["depeche-redis"]))["args"]
    if redis_args[redis_args.index("--maxmemory-policy") + 1] != "volatile-lru":
        problems.append("Redis may evict what an older depeche kept before it is moved")
    problems += store_checks(resources, main)
    drain = float(config["data"]["DEPECHE_SHUTDOWN_DRAIN_S"])
    timeout = float(config["data"]["DEPECHE_SHUTDOWN_TIMEOUT_S"])
    if depeche["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] <= drain + timeout:
        problems.append("the grace period is shorter than draining and finishing")
    return problems


def store_checks(resources: list[Resource], main: Resource) -> list[str]:
    """The replicas' store: a URL from its own Secret, naming the PostgreSQL Service, whose
    server keeps its data on a volume claim and takes its password from the same Secret."""
    problems = []
    env = {e["name"]: e for e in main.get("env", [])}
    source = env.get("DEPECHE_STORE_URL", {}).get("valueFrom", {}).get("secretKeyRef", {})
    secrets = {s["metadata"]["name"]: s for s in of_kind(resources, "Secret")}
    if source.get("name") not in secrets or source.get("key") not in secrets.get(
        source.get("name"), {}
    ).get("stringData", {}):
        return ["depeche: DEPECHE_STORE_URL is not taken from the store's Secret"]
    url = urlsplit(secrets[source["name"]]["stringData"][source["key"]])
    services = {s["metadata"]["name"]: s for s in of_kind(resources, "Service")}
    service = services.get(url.hostname or "")
    if url.scheme != "postgresql" or service is None:
        return [f"the store's URL names no PostgreSQL Service ({url.hostname})"]
    if url.port not in [p["port"] for p in service["spec"]["ports"]]:
        problems.append(f"the store's URL port {url.port} is not the Service's")
    [postgres] = of_kind(resources, "StatefulSet")
    if not postgres["spec"].get("volumeClaimTemplates"):
        problems.append("PostgreSQL keeps its data on no volume claim")
    server_env = {e["name"]: e for e in next(containers(postgres)).get("env", [])}
    password = server_env.get("POSTGRES_PASSWORD", {}).get("valueFrom", {}).get("secretKeyRef")
    if (password or {}).get("name") != source["name"]:
        problems.append("PostgreSQL's password is not in the store's Secret")
    return problems


def backfill_checks(resources: list[Resource]) -> list[str]:
    [job] = of_kind(resources, "Job")
    spec = job["spec"]
    args = next(containers(job))["args"]
    shard = args[args.index("--shard") + 1]
    problems = []
    if spec.get("completionMode") != "Indexed":
        problems.append("the backfill Job is not Indexed")
    if shard != f"$(JOB_COMPLETION_INDEX)/{spec['completions']}":
        problems.append(f"--shard {shard} does not match {spec['completions']} completions")
    return problems


def watch_checks(resources: list[Resource]) -> list[str]:
    """The watchers run `depeche watch` on one ReadWriteMany volume, its input and output
    folders on it, polling it (network volumes deliver no file events)."""
    [deployment] = of_kind(resources, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    args = container["args"]
    problems = []
    if args[0] != "watch" or "--poll" not in args:
        problems.append("the watchers do not run `depeche watch ... --poll`")
    claims = {c["metadata"]["name"]: c for c in of_kind(resources, "PersistentVolumeClaim")}
    volumes = {
        v["name"]: v["persistentVolumeClaim"]["claimName"]
        for v in pod["volumes"]
        if "persistentVolumeClaim" in v
    }
    for mount in container["volumeMounts"]:
        claim = claims.get(volumes.get(mount["name"], ""))
        if claim is None:
            continue
        if claim["spec"]["accessModes"] != ["ReadWriteMany"]:
            problems.append(f"{claim['metadata']['name']} is not ReadWriteMany")
        for folder in (args[1], args[args.index("-o") + 1]):
            if not folder.startswith(mount["mountPath"] + "/"):
                problems.append(f"{folder} is not on the shared volume")
    if not volumes:
        problems.append("the watchers share no volume")
    return problems


CHECKS: dict[str, list[Callable[[list[Resource]], list[str]]]] = {
    "base": [service_checks],
    "overlays/production": [service_checks],
    "overlays/models-volume": [service_checks],
    "backfill": [backfill_checks],
    "watch": [watch_checks],
}


def main() -> int:
    version = kubernetes_validate.utils.latest_version()
    failures = []
    for name in KUSTOMIZATIONS:
        resources = render(name)
        for resource in resources:
            try:
                kubernetes_validate.validate(resource, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                failures.append(
                    f"{name}: {resource['kind']}/{resource['metadata']['name']}: {exc.message}"
                )
        workloads = ("Deployment", "StatefulSet", "Job")
        for workload in [r for kind in workloads for r in of_kind(resources, kind)]:
            failures += [f"{name}: {p}" for p in hardened(workload)]
        for check in CHECKS[name]:
            failures += [f"{name}: {p}" for p in check(resources)]
        print(f"{name}: {len(resources)} resources rendered and validated against {version}")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
