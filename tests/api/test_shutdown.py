"""A rolling restart loses nothing: two replicas behind compose.yaml's nginx, clients sending
steadily, one replica stopped with SIGTERM and started again: every request succeeds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from depeche.config import Settings

from tests.redis_server import free_port
from tests.sync import wait_for

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEXTS = [
    "Le maire de Lyon a présenté un budget.",
    "La ministre refuse la grève.",
    "Un agriculteur du Gers conteste la vente.",
]


class Replica:
    """`depeche serve` in a process of its own."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "depeche", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self.status("/readyz") == 200)

    def status(self, path: str) -> int | None:
        try:
            return httpx.get(f"{self.url}{path}", timeout=2).status_code
        except httpx.TransportError:
            return None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def nginx_conf(folder: Path, port: int, replicas: list[Replica]) -> Path:
    """compose.yaml's nginx configuration, its upstreams and port those of this test."""
    site = (ROOT / "container" / "nginx.conf").read_text(encoding="utf-8")
    for index, replica in enumerate(replicas, 1):
        site = site.replace(f"depeche-{index}:8000", f"127.0.0.1:{replica.port}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events {}\nhttp {\n"
        f"  access_log off;\n  client_body_temp_path {folder}/body;\n"
        f"  proxy_temp_path {folder}/proxy;\n{site}\n}}\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture
def replicas(settings: Settings, tmp_path: Path) -> Iterator[list[Replica]]:
    env = {
        **os.environ,
        "DEPECHE_TRANSLATION_MODEL": settings.translation_model,
        "DEPECHE_SUMMARIZATION_MODEL": "none",
        "DEPECHE_MODELS_DIR": str(settings.models_dir),
        "DEPECHE_COMPUTE_TYPE": "float32",
        "DEPECHE_CACHE_URL": "none",
        "DEPECHE_SHUTDOWN_DRAIN_S": "1",
    }
    found = [Replica(env, free_port()), Replica(env, free_port())]
    yield found
    for replica in found:
        replica.stop()


def test_a_replica_restarted_behind_nginx_loses_no_request(
    replicas: list[Replica], tmp_path: Path
) -> None:
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is needed: apt-get install nginx-light")
    for replica in replicas:
        replica.start()
    port = free_port()
    proxy = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(nginx_conf(tmp_path, port, replicas))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    answers: list[int | str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        with httpx.Client(timeout=60) as http:
            sent = offset
            while not stop.is_set():
                try:
                    status: int | str = http.post(
                        f"{url}/v1/translate", json={"text": TEXTS[sent % len(TEXTS)]}
                    ).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                with lock:
                    answers.append(status)
                sent += 1

    def done() -> int:
        with lock:
            return len(answers)

    try:
        wait_for(lambda: replicas[0].status("/readyz") == 200 and _proxied(url))
        clients = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for thread in clients:
            thread.start()
        wait_for(lambda: done() >= 20)
        first, process = replicas[0], replicas[0].process
        assert process is not None
        process.send_signal(signal.SIGTERM)
        # Draining: still answering, but no longer ready.
        wait_for(lambda: first.status("/readyz") in (503, None))
        # uvicorn ends by the signal it was sent, as a process left to its default handler.
        assert process.wait(timeout=60) in (0, -signal.SIGTERM)
        before_restart = done()
        first.start()
        wait_for(lambda: done() >= before_restart + 40)
        stop.set()
        for thread in clients:
            thread.join()
    finally:
        stop.set()
        proxy.terminate()
        proxy.wait()
    assert answers and set(answers) == {200}, [a for a in answers if a != 200][:5]


def _proxied(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_draining_says_not_ready_and_closes_connections(api_settings: Settings) -> None:
    from tests.api.live import LiveServer

    live = LiveServer(api_settings)
    with live as url, httpx.Client() as http:
        assert http.get(f"{url}/readyz").status_code == 200
        served = http.post(f"{url}/v1/translate", json={"text": TEXTS[0]})
        assert served.headers.get("connection") != "close"
        live.services.drain()
        refused = http.get(f"{url}/readyz")
        assert refused.status_code == 503 and refused.json()["error"]["message"] == "shutting down"
        still = http.post(f"{url}/v1/translate", json={"text": TEXTS[0]})
        assert still.status_code == 200 and still.headers["connection"] == "close"


def test_the_first_signal_drains_the_second_stops() -> None:
    import uvicorn
    from depeche.api.server import DrainingServer

    drained = threading.Event()
    server = DrainingServer(uvicorn.Config(app=None), drain_s=3600, on_drain=drained.set)
    server.handle_exit(signal.SIGTERM, None)
    assert drained.is_set() and not server.should_exit
    server.handle_exit(signal.SIGTERM, None)
    assert server.should_exit
    assert server._draining is not None
    server._draining.cancel()


def test_a_server_stopped_during_its_warm_up_exits_without_waiting_for_it(
    api_settings: Settings,
) -> None:
    from depeche.api.services import Services

    from tests.api.live import HeldEngine, LiveServer

    settings = api_settings.model_copy(update={"summarization_model": "none", "cache_url": "none"})
    services = Services(settings)
    held = HeldEngine(services)  # the warm-up's engine batch waits until the test releases it
    live = LiveServer(settings, wait_ready=False, services=services)
    try:
        with live as url:
            held.wait_entered()
            assert httpx.get(f"{url}/readyz").status_code == 503
        # The lifespan's end cancelled the warm-up and freed the model without waiting for it.
        assert not live.thread.is_alive()
    finally:
        held.close()
