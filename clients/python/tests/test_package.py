"""The package as shipped: pip builds and installs it offline with the in-tree backend."""

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import unittest

import _support

from breaker_panel import SDK_VERSION


class PackageTest(unittest.TestCase):
    def test_the_version_sent_at_registration_is_the_packages(self) -> None:
        with open(os.path.join(_support.CLIENT_ROOT, "pyproject.toml"), encoding="utf-8") as pyproject:
            self.assertEqual(re.search(r'^version = "([^"]+)"', pyproject.read(), re.MULTILINE).group(1), SDK_VERSION)

    @unittest.skipUnless(importlib.util.find_spec("pip"), "pip is not installed for this python3: nothing to install with")
    def test_pip_installs_it_without_an_index_and_it_imports_from_there(self) -> None:
        with tempfile.TemporaryDirectory() as target:
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-cache-dir", "--disable-pip-version-check",
                 "--target", target, _support.CLIENT_ROOT],
                check=True, capture_output=True, timeout=120,
            )
            probe = "import breaker_panel, breaker_panel.reporter; print(breaker_panel.__file__)"
            out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "PYTHONPATH": target}, cwd=target,
                                 check=True, capture_output=True, text=True, timeout=60)
            self.assertTrue(out.stdout.strip().startswith(target))
            self.assertTrue(os.path.isfile(os.path.join(target, "breaker_panel", "adapters", "pybreaker.py")))


if __name__ == "__main__":
    unittest.main()
