"""The shipped template and language files cover every term of the addon.

The terms are exported from the test database as Odoo's exporter does
(``odoo --i18n-export``); terms whose only source is a demo record are left
out, since the template is generated without demo data (tools/i18n-update).
"""

import ast
import os
import re
from collections import defaultdict

import polib
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "helpdesk_mgmt_complaint"
ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGS = ("he", "pl", "sl", "ru", "cs")
OCCURRENCE = re.compile(r"(model|model_terms):([\w.]+),(\w+):(\w+\.[\w.]+)$")


def _demo_xmlids():
    """Full xmlids of the records the manifest's demo files declare."""
    with open(os.path.join(ADDON, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    xmlids = set()
    for path in manifest.get("demo", []):
        for node in etree.parse(os.path.join(ADDON, path)).iter():
            xmlid = isinstance(node.tag, str) and node.get("id")
            if xmlid:
                xmlids.add(xmlid if "." in xmlid else f"{MODULE}.{xmlid}")
    return xmlids


def _is_demo(xmlid, demo):
    """A demo record, or the parent Odoo creates for one through _inherits
    (``<demo xmlid>_product_template`` for a demo product)."""
    return xmlid in demo or (
        "_demo_" in xmlid and xmlid.rsplit("_demo_", 1)[0] + "_demo" in demo
    )


def _read_po(name):
    return polib.pofile(os.path.join(ADDON, "i18n", name))


@tagged("post_install", "-at_install")
class TestComplaintI18n(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot_ids = {
            e.msgid for e in _read_po(f"{MODULE}.pot") if e.msgid and not e.obsolete
        }

    def _exported_terms(self):
        """{term: sources} of the module's export, demo-only terms left out."""
        demo = _demo_xmlids()
        sources = defaultdict(set)
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        for module, ttype, name, res_id, source, _value, _comments in reader:
            if module != MODULE:
                continue
            if ttype in ("model", "model_terms") and _is_demo(res_id, demo):
                continue
            sources[source].add(f"{ttype}:{name}:{res_id}")
        return sources

    def test_export_matches_template(self):
        terms = self._exported_terms()
        self.assertGreater(len(terms), 300, "the export found too few terms")
        missing = sorted(set(terms) - self.pot_ids)
        self.assertFalse(
            missing,
            "i18n/%s.pot lacks %d exported term(s); run tools/i18n-update:\n%s"
            % (
                MODULE,
                len(missing),
                "\n".join(f"{t!r} ({sorted(terms[t])[0]})" for t in missing[:20]),
            ),
        )

    def test_languages_complete(self):
        problems = []
        for lang in LANGS:
            entries = {e.msgid: e for e in _read_po(f"{lang}.po") if not e.obsolete}
            for msgid in sorted(self.pot_ids):
                entry = entries.get(msgid)
                if entry is None or not entry.msgstr.strip():
                    problems.append(f"{lang}: untranslated {msgid!r}")
                elif "fuzzy" in entry.flags:
                    problems.append(f"{lang}: fuzzy {msgid!r}")
        self.assertFalse(
            problems,
            "%d term(s) left untranslated:\n%s"
            % (len(problems), "\n".join(problems[:30])),
        )

    def test_extra_terms_still_apply(self):
        """i18n_extra/ (helpdesk_mgmt's and fleet's terms) names live records.

        Odoo applies an entry only when the record it names still has that
        term in English: an upstream rename would silently drop it.
        """
        problems = []
        for lang in LANGS:
            path = os.path.join(ADDON, "i18n_extra", f"{lang}.po")
            if not os.path.exists(path):
                continue
            for entry in polib.pofile(path):
                if not entry.msgstr:
                    problems.append(f"{lang}: untranslated {entry.msgid!r}")
                for occurrence, _line in entry.occurrences:
                    match = OCCURRENCE.match(occurrence)
                    if not match:
                        problems.append(f"{lang}: unreadable reference {occurrence}")
                        continue
                    ttype, model, fname, xmlid = match.groups()
                    record = self.env.ref(xmlid, raise_if_not_found=False)
                    if not record or record._name != model:
                        problems.append(f"{lang}: no {model} {xmlid}")
                        continue
                    value = record.with_context(lang="en_US")[fname] or ""
                    field = record._fields[fname]
                    terms = [value]
                    if ttype == "model_terms":
                        terms = field.get_trans_terms(value)
                    if entry.msgid not in terms:
                        problems.append(f"{lang}: {xmlid} has no term {entry.msgid!r}")
        self.assertFalse(problems, "\n".join(problems[:30]))
