"""Where the browser tests find Debian's chromium and leave their screenshots."""

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent.parent / "test-results"
