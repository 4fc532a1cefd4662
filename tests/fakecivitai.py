"""A fake CivitAI API on 127.0.0.1 for the look-up tests (never the real site)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

VERSIONS: dict[str, dict[str, Any]] = {
    # hassakuXL_v13 in the metadata, and the same model on CivitAI: non-commercial.
    "163ac69059": {"id": 501, "modelId": 41, "name": "v1.3", "model": {"name": "Hassaku XL"},
                   "files": [{"name": "hassakuXL_v13.safetensors"}]},
    # a LoRA named shadow-circuit in the metadata, but the hash is another model's: a disguise.
    "88e247aa8c3d": {"id": 502, "modelId": 42, "name": "v2", "model": {"name": "Totally Different Style"},
                     "files": [{"name": "different_style_v2.safetensors"}]},
}  # fmt: skip
MODELS: dict[int, dict[str, Any]] = {
    41: {"id": 41, "name": "Hassaku XL", "creator": {"username": "hassaku-author"},
         "allowCommercialUse": "None", "allowDerivatives": True, "allowNoCredit": False},
    42: {"id": 42, "name": "Totally Different Style", "creator": {"username": "[bold]someone\x1b[2J"},
         "allowCommercialUse": ["Image", "Sell"], "allowDerivatives": False, "allowNoCredit": True},
}  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).requests.append(self.path)
        body: Any = None
        if self.path.startswith("/api/v1/model-versions/by-hash/"):
            body = VERSIONS.get(self.path.rsplit("/", 1)[1].lower())
        elif self.path.startswith("/api/v1/models/"):
            tail = self.path.rsplit("/", 1)[1]
            body = MODELS.get(int(tail)) if tail.isdigit() else None
        if body is None:
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b'{"error": "Model not found"}')
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the test output quiet
        pass


@contextmanager
def fake_civitai() -> Iterator[tuple[str, list[str]]]:
    """(base URL, the paths asked) of a running fake API."""
    _Handler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Handler.requests
    finally:
        server.shutdown()
        server.server_close()
