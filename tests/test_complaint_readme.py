"""The README's technical reference names only what exists."""

import os
import re
import unittest

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What the addon itself is made of (its tests, translations and tools aside).
SOURCE_DIRS = ("models", "controllers", "wizard", "report", "data", "views", "security")
SOURCE_FILES = ("const.py", "__manifest__.py")


def _addon_source():
    texts = [
        open(os.path.join(ADDON, f), encoding="utf-8").read() for f in SOURCE_FILES
    ]
    for folder in SOURCE_DIRS:
        for root, _dirs, files in os.walk(os.path.join(ADDON, folder)):
            for name in files:
                if name.endswith((".py", ".xml", ".csv")):
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        texts.append(f.read())
    return "\n".join(texts)


def _technical_reference():
    with open(os.path.join(ADDON, "README.rst"), encoding="utf-8") as f:
        readme = f.read()
    start = readme.index("Technical reference\n===")
    end = readme.index("\nBenchmarks\n===", start)
    return readme[start:end]


class TestComplaintReadme(unittest.TestCase):
    def test_technical_reference_names_exist(self):
        source = _addon_source()
        defined = set(re.findall(r"^\s*def (\w+)\(", source, re.MULTILINE))
        missing = []
        for literal in re.findall(r"``([^`]+)``", _technical_reference()):
            call = re.fullmatch(r"([\w.]+\.)?(\w+)\(.*\)", literal, re.DOTALL)
            if call:
                # Our methods must be defined here; Odoo's (qualified with a
                # core model, e.g. ir.cron.) must at least be used.
                known = (
                    re.search(rf"\b{call.group(2)}\(", source)
                    if call.group(1)
                    else call.group(2) in defined
                )
                if not known:
                    missing.append(literal)
                continue
            if literal.startswith("odoo."):
                continue  # Odoo's own API, named where the tests use it
            name = re.fullmatch(r"(?:[a-z_]+\.)*([a-z][a-z0-9]*_[a-z0-9_]+)", literal)
            if name and not re.search(rf"\b{name.group(1)}\b", source):
                missing.append(literal)
        self.assertEqual(missing, [], "named in README.rst but not in the code")
