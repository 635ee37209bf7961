"""`make k8s-test`, second half: the base's Deployment and Redis run by `podman kube play`.

The YAML is the base's, rendered by kustomize, with what one host without a cluster needs
changed and nothing else: the image under test, the pods on the host's network (podman has no
Service, so the replicas reach Redis at 127.0.0.1 and listen on ports of their own), and two
copies of the Deployment's pod (podman plays one pod per Deployment). Then: each replica
becomes ready, and an article translated by one is a cache hit on the other.

Needs podman (../shared/tools/container-setup.sh) and the image `make container-test` builds.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[0] = str(ROOT)

from container.check import IMAGE, stand_ins  # noqa: E402
from deploy.kubernetes.check import render  # noqa: E402
from tests.redis_server import free_port  # noqa: E402

ARTICLE = "Le conseil municipal a voté le budget mardi soir. La séance a duré trois heures.\n"


def for_one_host(resources: list[dict[str, Any]], ports: list[int]) -> list[dict[str, Any]]:
    """The base's Deployment (a copy per port) and Redis, on the host's network."""
    by_name = {(r["kind"], r["metadata"]["name"]): r for r in resources}
    config = by_name["ConfigMap", "depeche-config"]["data"]
    redis = copy.deepcopy(by_name["Deployment", "depeche-redis"])
    redis["spec"]["template"]["spec"]["hostNetwork"] = True
    # On the host's network podman maps no ports: probes name the port by number.
    [server] = redis["spec"]["template"]["spec"]["containers"]
    server.pop("ports")
    for probe in ("readinessProbe", "livenessProbe"):
        server[probe]["tcpSocket"]["port"] = 6379
    played = [by_name["PersistentVolumeClaim", "depeche-redis-data"], redis]
    for index, port in enumerate(ports):
        replica = copy.deepcopy(by_name["Deployment", "depeche"])
        replica["metadata"]["name"] = f"depeche-{index}"
        replica["spec"]["replicas"] = 1
        pod = replica["spec"]["template"]["spec"]
        pod["hostNetwork"] = True
        pod.pop("topologySpreadConstraints", None)
        [container] = pod["containers"]
        container["image"] = IMAGE
        container.pop("envFrom")  # podman 4 reads no ConfigMap or Secret from the YAML: inline
        settings = {**config, "DEPECHE_PORT": str(port)}
        settings["DEPECHE_CACHE_URL"] = "redis://127.0.0.1:6379/0"
        container["env"] = [{"name": k, "value": v} for k, v in settings.items()]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            container[probe]["httpGet"]["port"] = port
        container.pop("ports")
        played.append(replica)
    return played


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def translate(url: str) -> tuple[str, str]:
    request = urllib.request.Request(
        f"{url}/v1/articles",
        data=json.dumps({"text": ARTICLE, "summarize": False}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())["text"], response.headers.get("X-Cache", "")


def main() -> int:
    if not shutil.which("podman"):
        sys.exit("podman is needed: bash ../shared/tools/container-setup.sh, then source its env")
    if subprocess.run(["podman", "image", "exists", IMAGE]).returncode != 0:
        sys.exit(f"{IMAGE} is needed: make container-test builds it")
    stand_ins(["podman"])
    ports = [free_port(), free_port()]
    played = for_one_host(render("base"), ports)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "play.yaml"
        path.write_text(yaml.safe_dump_all(played), encoding="utf-8")
        subprocess.run(["podman", "kube", "play", str(path)], check=True)
        try:
            urls = [f"http://127.0.0.1:{port}" for port in ports]
            deadline = time.monotonic() + 300
            while not all(get(f"{url}/readyz") == 200 for url in urls):
                if time.monotonic() > deadline:
                    sys.exit("the replicas never became ready")
                time.sleep(1)
            first, state = translate(urls[0])
            again, hit = translate(urls[1])
            print(f"first replica: {state}; second replica: {hit}")
            if (state, hit) != ("miss", "hit") or first != again:
                sys.exit("the second replica did not answer from the shared cache")
        finally:
            subprocess.run(["podman", "kube", "down", str(path)], check=False)
            subprocess.run(["podman", "volume", "rm", "-f", "depeche-redis-data"], check=False)
    print("podman kube play: two replicas and Redis from the base's YAML; shared cache: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
