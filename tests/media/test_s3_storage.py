"""Media in S3-compatible object storage, against moto's S3 server started by the test: the
same uploads, posts and refusals as on local disk, with objects carrying their content type
and long cache headers, readable at the public URL, and removed with their attachment."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import Settings
from staffroom.media.s3 import S3MediaStorage
from staffroom.runtime import Runtime
from tests.conftest import BASE_URL, User
from tests.media import images
from tests.media.helpers import stored_files, upload

BUCKET = "staffroom-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    # As an operator sets it up: everyone may read objects (Staffroom sets no ACLs).
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield endpoint
    server.stop()


@pytest.fixture
def s3_runtime(settings: Settings, s3_endpoint: str) -> Iterator[Runtime]:
    rt = Runtime.build(
        settings.with_overrides(
            s3_bucket=BUCKET, s3_endpoint_url=s3_endpoint, s3_region="us-east-1"
        )
    )
    yield rt
    rt.close()


@pytest.fixture
def s3_client(s3_runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(
        create_app(runtime=s3_runtime), base_url=BASE_URL, raise_server_exceptions=False
    ) as c:
        yield c


def _objects(endpoint: str) -> dict[str, Any]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"]: s3.head_object(Bucket=BUCKET, Key=item["Key"]) for item in listed}


def test_the_runtime_stores_media_in_the_bucket(s3_runtime: Runtime) -> None:
    assert isinstance(s3_runtime.media, S3MediaStorage)


def test_uploads_posts_and_deletions_in_object_storage(
    s3_client: TestClient,
    s3_runtime: Runtime,
    s3_endpoint: str,
    make_user: Callable[..., User],
    settings: Settings,
) -> None:
    alice = make_user("alice")
    now = upload(s3_client, alice, images.jpeg(900, 600, gps=True), description="Trip")
    assert now.status_code == 200, now.text
    media = now.json()
    assert media["url"].startswith(f"{s3_endpoint}/{BUCKET}/media_attachments/")
    later = upload(
        s3_client, alice, images.png(), filename="a.png", content_type="image/png", version=2
    )
    assert later.status_code == 202, later.text
    done = s3_client.get(f"/api/v1/media/{later.json()['id']}", headers=alice.headers).json()
    assert done["url"].startswith(f"{s3_endpoint}/{BUCKET}/")

    objects = _objects(s3_endpoint)
    assert len(objects) == 4
    for key, head in objects.items():
        assert head["ContentType"] == ("image/jpeg" if key.endswith(".jpg") else "image/png")
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
    served = httpx.get(media["url"])
    assert served.status_code == 200
    assert b"Exif" not in served.content
    with Image.open(io.BytesIO(served.content)) as stored:
        assert stored.size == (900, 600)
    assert stored_files(settings.data_dir) == []  # nothing on local disk, nothing pending

    post = s3_client.post(
        "/api/v1/statuses",
        json={"status": "Field trip", "media_ids": [media["id"]]},
        headers=alice.headers,
    ).json()
    assert post["media_attachments"][0]["url"] == media["url"]
    page = s3_client.get(f"/@alice/{post['id']}")
    assert f'src="{media["preview_url"]}"' in page.text
    assert f"img-src 'self' data: {s3_endpoint};" in page.headers["content-security-policy"]
    s3_client.delete(f"/api/v1/statuses/{post['id']}", headers=alice.headers)
    s3_client.delete(f"/api/v1/media/{done['id']}", headers=alice.headers)
    assert _objects(s3_endpoint) == {}


def test_a_hostile_file_leaves_no_object(
    s3_client: TestClient, s3_endpoint: str, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    for version in (1, 2):
        refused = upload(
            s3_client,
            alice,
            images.png_declaring(50_000, 50_000),
            filename="bomb.png",
            content_type="image/png",
            version=version,
        )
        assert refused.status_code == 422
    assert _objects(s3_endpoint) == {}
