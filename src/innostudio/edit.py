"""`innostudio edit` / `./run edit`: edit the working copy in the browser, without a forge account.

Builds the site with an editor whose config points at a local decap-server (pinned npm package,
bound to 127.0.0.1, file-system mode: saved forms are ordinary changes in the working copy), then
serves the site on 127.0.0.1 until Ctrl-C.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from .admin import LOCAL_PORT_ENV, EditorMissing, node_modules


def start_decap_server(root: Path, port: int, modules: Path, log=None) -> subprocess.Popen:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise EditorMissing("找不到 node：请先运行 ./run edit（它会安装 Node.js）")
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", MODE="fs", GIT_REPO_DIRECTORY=str(root),
               LOG_LEVEL="warn")
    return subprocess.Popen([node, str(modules / "decap-server" / "dist" / "index.js")], env=env, cwd=root,
                            stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def serve(directory: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_editor(root: Path, port: int, cms_port: int, as_of: str | None) -> int:
    try:
        modules = node_modules(root)
    except EditorMissing as exc:
        print(f"innostudio edit：{exc}", file=sys.stderr)
        return 2
    env = dict(os.environ, **{LOCAL_PORT_ENV: str(cms_port)})
    if as_of:
        env["INNOSTUDIO_AS_OF"] = as_of
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = root / "build" / "edit-site"
    code = subprocess.call([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                            "-d", str(site)], cwd=root, env=env)
    if code:
        print("innostudio edit：站点生成失败（先运行 innostudio check 修正错误）", file=sys.stderr)
        return 1
    proc = start_decap_server(root, cms_port, modules)

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill` ends decap-server too, not only this process
    server = serve(site, port)
    print(f"在线编辑：http://127.0.0.1:{port}/admin/ （decap-server 端口 {cms_port}，只监听 127.0.0.1）")
    print(f"各工作室的编辑页面：http://127.0.0.1:{port}/admin/<工作室文件夹名>/（工会的在 /admin/，页面顶部有列表）")
    print("保存的修改直接写入工作目录；用 git diff 查看。按 Ctrl-C 结束。")
    try:
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        proc.terminate()
        proc.wait(timeout=10)
    return 0
