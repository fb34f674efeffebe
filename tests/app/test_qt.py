"""The Qt shim: the one import module, and its guard against the PySide6 6.12 refcount leak on CPython 3.11."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LEAK = """
import app.qt
from app.qt import QApplication, QLabel, QObject, Signal
app = QApplication([])
label = QLabel()
class O(QObject):
    s = Signal(object)
o = O()
o.s.connect(lambda v: None)
for _ in range(200_000):
    label.setText("x")   # void: returns None
    o.s.emit(1)          # returns True
    app.processEvents()
print("survived")
"""


def test_many_void_calls_and_emits_do_not_abort():
    proc = subprocess.run([sys.executable, "-c", LEAK], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0 and "survived" in proc.stdout, proc.stderr[-2000:]


def test_only_the_shim_imports_pyside():
    for path in (ROOT / "app").rglob("*.py"):
        if path == ROOT / "app" / "qt.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith(("PySide6", "shiboken6")) for n in names), path.relative_to(ROOT)

