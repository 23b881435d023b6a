"""What the evaluation scripts share: where the shared test data lives, the
corpus, the CER function, and rendering an issue with the renderer."""
import os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GAZETTE_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(SHARED / "tools"))
from cer import cer  # noqa: E402,F401

CORPUS = sorted(p for p in (SHARED / "corpus").glob("*.txt"))


def render(out, docs, font, title_font, degrade, fmt, seed, issue=5):
    """Renders documents into an issue directory with its manifest."""
    subprocess.run([sys.executable, str(SHARED / "tools/render_gazette.py"), *map(str, docs), "--out", str(out),
                    "--font", font, "--title-font", title_font, "--degrade", degrade, "--format", fmt,
                    "--seed", str(seed), "--issue", str(issue)], check=True, capture_output=True)
