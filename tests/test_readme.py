"""The README is a newcomer's contract: every environment variable the settings read is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented_in_the_readme():
    settings_source = (ROOT / "backend" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list|choice|parsed)\(\s*"([A-Z_]+)"', settings_source))
    assert len(names) > 20
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == [], f"document these variables in README.md: {missing}"


def test_readme_commands_exist_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "lint", "lock", "server", "seed", "messages", "bench", "screenshots", "test-fast"):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), f"make {target} is documented but missing"
