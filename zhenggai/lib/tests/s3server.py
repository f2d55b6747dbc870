"""A real S3 server (moto's server mode) on loopback for the shared-storage tests.

One server per test session, run as a child process (so what it holds in memory is not
counted when a test measures the memory a download takes), on 127.0.0.1 and a free port. Each
test gets a bucket of its own and the default storage set to django-storages' S3 backend
pointing at it, with the options production uses (`settings.S3_OPTIONS`) and a key prefix.
Without moto the tests are skipped, except under CI=true, where they fail.
"""

import itertools
import os
import socket
import subprocess  # nosec B404 - starts moto's server with this interpreter and a list of args
import sys
import time
from dataclasses import dataclass

import pytest

ACCESS_KEY, SECRET_KEY, REGION = "zhenggai-test", "zhenggai-test-secret", "us-east-1"
PREFIX = "files"
_buckets = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def _wait_until_listening(process: subprocess.Popen, port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto's server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"moto's server did not listen on port {port} in {seconds} s")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """The endpoint URL of a running moto server."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        _missing("moto[server] is not installed")
    port = _free_port()
    log = (tmp_path_factory.mktemp("s3server") / "moto.log").open("wb")
    process = subprocess.Popen(  # nosec B603 - this interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_listening(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@dataclass
class Bucket:
    """A bucket of the test's own, which the default storage now writes to."""

    name: str
    client: object  # a boto3 S3 client with the test credentials
    endpoint: str

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listed.get("Contents", ()))

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def s3(s3_server, settings):
    """The default storage on a fresh bucket of the loopback S3 server."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    name = f"zhenggai-test-{os.getpid()}-{next(_buckets)}"
    client.create_bucket(Bucket=name)
    # Setting STORAGES sends setting_changed, on which Django drops its cached storages.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **settings.S3_OPTIONS,
                "bucket_name": name,
                "endpoint_url": s3_server,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "location": PREFIX,
                "addressing_style": "path",
            },
        },
    }
    return Bucket(name, client, s3_server)
