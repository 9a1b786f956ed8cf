"""``jamsos serve`` prepares an empty database and answers on the given port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrates_and_serves(tmp_path):
    port = _free_port()
    env = {**os.environ, "JAMSOS_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3"}
    server = subprocess.Popen([sys.executable, "-m", "jamsos.cli", "serve", "--port", str(port),
                               "--no-worker"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/cakupan/publik/",
                                            timeout=5) as page:
                    body = page.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not answer in time"
                time.sleep(0.5)
        assert "Perlindungan BPJS Ketenagakerjaan di Kabupaten Ogan Komering Ilir" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/jamsos/app.css",
                                    timeout=5) as css:
            assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
