"""`make container-test`: the Dockerfile built and run for real, with tiny models baked in.

1. Builds the image with docker or podman; the test factories' tiny Marian and BART are baked in
   from a local folder (`--build-arg MODELS`), so nothing comes from the Hub.
2. Runs it: waits for its HEALTHCHECK, translates a paragraph over HTTP and compares it with the
   library's own translation on the same model; checks that the image has no torch.
3. Runs two replicas sharing one redis-server: an article cached through one is a hit on the other.
4. Brings up compose.yaml (Redis, PostgreSQL, two replicas, nginx) on this image: an article
   translated through nginx is then a hit in each replica. Without a registry (podman here),
   redis, nginx and postgres are stand-ins built from Debian's packages under the official
   images' names, if those are missing.
Prints the image's size. Run from the repository root with the project's virtualenv.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from depeche.config import Settings  # noqa: E402
from depeche.translator import Translator  # noqa: E402

from tests import factories  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

IMAGE = "localhost/depeche:container-test"
MODELS = ROOT / "container" / "models"
WHEELS = ROOT / "container" / "wheels"
PARAGRAPH = "Le conseil municipal a voté le budget mardi soir. La séance a duré trois heures."
ARTICLE = (
    "*Le budget est voté*\n\n---\n\n"
    "Le conseil municipal a voté le budget mardi soir. La séance a duré trois heures.\n\n"
    "Les travaux de la gare commenceront au printemps.\n"
)


def container_engine() -> list[str]:
    """docker where an engine answers, else podman (prepared by container-setup.sh)."""
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "info"], capture_output=True).returncode == 0
    ):
        return ["docker"]
    if shutil.which("podman"):
        return ["podman"]
    sys.exit("container-test needs docker or podman (README: Container)")


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(args), flush=True)
    return subprocess.run(args, check=check, text=True)


def stage_inputs() -> None:
    """Tiny models into container/models/, this machine's torch CPU wheel into container/wheels/."""
    for name, model in [
        ("tiny-marian", factories.tiny_marian()),
        ("tiny-bart", factories.tiny_bart()),
    ]:
        shutil.rmtree(MODELS / name, ignore_errors=True)
        shutil.copytree(model, MODELS / name)
    for wheel in glob.glob("/opt/wheels/torch-*+cpu-*.whl"):
        if not (WHEELS / Path(wheel).name).exists():
            shutil.copy(wheel, WHEELS)


def build(engine: list[str]) -> None:
    extra = ["--format", "docker"] if engine == ["podman"] else []  # keeps HEALTHCHECK
    run(
        *engine, "build", *extra, "--network=host", "-t", IMAGE,
        "--build-arg", "OFFLINE=1",
        "--build-arg", "TRANSLATION_MODEL=/opt/depeche/models/tiny-marian",
        "--build-arg", "SUMMARIZATION_MODEL=/opt/depeche/models/tiny-bart",
        # The local torch wheel is found first; this index only answers if it is missing.
        "--build-arg", "TORCH_INDEX_URL=https://pypi.org/simple",
        str(ROOT),
    )  # fmt: skip


@contextlib.contextmanager
def replica(engine: list[str], name: str, port: int, *env: str) -> Iterator[str]:
    """One container of the image on the host's network, removed afterwards."""
    flags = [arg for item in (f"DEPECHE_PORT={port}", *env) for arg in ("-e", item)]
    run(*engine, "rm", "-f", name, check=False)
    run(*engine, "run", "-d", "--name", name, "--network=host", *flags, IMAGE)
    try:
        wait_healthy(engine, name)
        yield f"http://127.0.0.1:{port}"
    finally:
        run(*engine, "logs", "--tail", "5", name, check=False)
        run(*engine, "rm", "-f", name, check=False)


def wait_healthy(engine: list[str], name: str, timeout: float = 300) -> None:
    """Until the image's own HEALTHCHECK passes (podman has no systemd timer here: run it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if engine == ["podman"]:
            healthy = subprocess.run([*engine, "healthcheck", "run", name], capture_output=True)
            if healthy.returncode == 0:
                return
        else:
            status = subprocess.run(
                [*engine, "inspect", "--format", "{{.State.Health.Status}}", name],
                capture_output=True,
                text=True,
            )
            if status.stdout.strip() == "healthy":
                return
        time.sleep(2)
    raise SystemExit(f"{name} did not become healthy within {timeout:.0f} s")


def post(url: str, body: dict[str, object]) -> tuple[dict[str, object], str]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read()), response.headers.get("X-Cache", "")


def library_translation() -> str:
    """The same paragraph through the library on the same model (CTranslate2 int8, CPU)."""
    settings = Settings(
        translation_model=str(MODELS / "tiny-marian"),
        summarization_model="none",
        models_dir=ROOT / ".cache" / "container-check",
        device="cpu",
        cache_url="none",
    )
    translator = Translator(settings)
    try:
        return translator.translate([PARAGRAPH])[0]
    finally:
        translator.close()


STAND_IN = """\
FROM localhost/debian:bookworm
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {package} \\
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default
CMD {command}
"""
# PostgreSQL as the official image starts: a cluster made on first start for POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB, then the server on every address.
POSTGRES_START = r"""set -e
B=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1); D=${PGDATA:-/var/lib/postgresql/data}
mkdir -p "$D" /var/run/postgresql && chown -R postgres "$D" /var/run/postgresql
if [ ! -s "$D/PG_VERSION" ]; then
  printf '%s' "$POSTGRES_PASSWORD" > /tmp/pw && chown postgres /tmp/pw
  runuser -u postgres -- "$B/initdb" -D "$D" -U "$POSTGRES_USER" --pwfile=/tmp/pw \
    --auth-local=trust --auth-host=scram-sha-256 && rm /tmp/pw
  echo "host all all all scram-sha-256" >> "$D/pg_hba.conf"
  runuser -u postgres -- "$B/pg_ctl" -D "$D" -w -o "-c listen_addresses=''" start
  runuser -u postgres -- psql -U "$POSTGRES_USER" -d postgres -c "CREATE DATABASE $POSTGRES_DB"
  runuser -u postgres -- "$B/pg_ctl" -D "$D" -w stop
fi
exec runuser -u postgres -- "$B/postgres" -D "$D" -c listen_addresses='*'
"""
STAND_INS = {
    "docker.io/library/redis:7-alpine": ("redis-server", '["redis-server"]'),
    "docker.io/library/nginx:1.27-alpine": ("nginx-light", '["nginx", "-g", "daemon off;"]'),
    "docker.io/library/postgres:16-alpine": (
        "postgresql",
        json.dumps(["sh", "-c", POSTGRES_START]),
    ),
}


def stand_ins(engine: list[str]) -> None:
    """Redis, nginx and PostgreSQL images under their official names, from Debian, where none
    is there."""
    for image, (package, command) in STAND_INS.items():
        if subprocess.run([*engine, "image", "exists", image]).returncode == 0:
            continue
        with tempfile.TemporaryDirectory() as context:
            dockerfile = Path(context, "Dockerfile")
            dockerfile.write_text(STAND_IN.format(package=package, command=command))
            run(*engine, "build", "-q", "--network=host", "-t", image, context)


def compose_check(engine: list[str]) -> None:
    """compose.yaml up on the test image; an article through nginx is a hit in both replicas."""
    if engine == ["podman"]:
        stand_ins(engine)
        compose = ["podman-compose", "-p", "depeche-check"]
    else:
        compose = ["docker", "compose", "-p", "depeche-check"]
    port = free_port()
    env = {**os.environ, "DEPECHE_IMAGE": IMAGE, "PUBLISH_PORT": str(port)}
    up = [*compose, "-f", str(ROOT / "compose.yaml"), "up", "-d", "--no-build"]
    if engine == ["podman"]:
        # podman-compose does not wait for `depends_on: service_healthy` here (no systemd runs
        # the health checks): the store first, until it accepts connections, as compose would.
        print("$", " ".join([*up, "postgres"]), flush=True)
        subprocess.run([*up, "postgres"], env=env, check=True, capture_output=True)
        wait_healthy(engine, "depeche-check_postgres_1")
    print("$", " ".join(up), flush=True)
    subprocess.run(up, env=env, check=True, capture_output=True)
    try:
        for replica_name in ("depeche-1", "depeche-2"):
            wait_healthy(engine, f"depeche-check_{replica_name}_1")
        body, state = post(f"http://127.0.0.1:{port}/v1/articles", {"text": ARTICLE})
        assert state == "miss", state
        for replica_name in ("depeche-1", "depeche-2"):
            name = f"depeche-check_{replica_name}_1"
            direct = subprocess.run(
                [*engine, "exec", name, "python", "-c", ASK_INSIDE, ARTICLE],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            state, answer = direct.stdout.split("\n", 1)
            assert state == "hit" and json.loads(answer) == body, (replica_name, state)
        print("compose: article through nginx, then a hit in each replica: ok")
    finally:
        down = [*compose, "-f", str(ROOT / "compose.yaml"), "down"]
        subprocess.run(down, env=env, capture_output=True)


# Run inside a replica: the article (argv[1]) straight to that replica, bypassing nginx.
ASK_INSIDE = """
import json, sys, urllib.request
body = json.dumps({"text": sys.argv[1]}).encode()
request = urllib.request.Request(
    "http://127.0.0.1:8000/v1/articles", data=body, headers={"Content-Type": "application/json"}
)
with urllib.request.urlopen(request, timeout=60) as response:
    print(response.headers["X-Cache"])
    print(response.read().decode())
"""


def main() -> int:
    engine = container_engine()
    stage_inputs()
    build(engine)
    size = subprocess.run(
        [*engine, "image", "inspect", "--format", "{{.Size}}", IMAGE],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    no_torch = subprocess.run(
        [*engine, "run", "--rm", IMAGE, "python", "-c", "import torch"], capture_output=True
    )
    assert no_torch.returncode != 0, "the runtime image has torch"
    print("runtime image has no torch: ok")

    with replica(engine, "depeche-check", free_port()) as url:
        body, _ = post(f"{url}/v1/translate", {"text": PARAGRAPH})
        served = body["translations"][0]["text"]  # type: ignore[index]
        expected = library_translation()
        assert served == expected, f"served {served!r} != library {expected!r}"
        print(f"paragraph translated over HTTP, equal to the library's: {served!r}")

    redis = RedisServer(Path(tempfile.mkdtemp()))
    redis.start()
    try:
        cache = f"DEPECHE_CACHE_URL={redis.url}"
        with (
            replica(engine, "depeche-check-1", free_port(), cache) as first,
            replica(engine, "depeche-check-2", free_port(), cache) as second,
        ):
            one, state_one = post(f"{first}/v1/articles", {"text": ARTICLE})
            two, state_two = post(f"{second}/v1/articles", {"text": ARTICLE})
            assert (state_one, state_two) == ("miss", "hit"), (state_one, state_two)
            assert one == two
            print("article cached through replica 1 is a hit on replica 2: ok")
    finally:
        redis.stop()
    compose_check(engine)
    print(f"image {IMAGE}: {int(size) / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
