"""The ``specification`` the Odoo 18 web client sends for a view, from its arch.

Close enough to ``getFieldsSpec`` for a benchmark: every field node of the
arch outside sub-views; relational fields read their ``display_name`` (one2many
their ids only). Used in process (bench_scale.py) and over JSON-RPC
(locustfile.py, with the result of ``get_views``).
"""

from xml.etree import ElementTree  # stdlib: the locust venv has no lxml


def _field_nodes(node):
    """Field nodes of the arch, not those of sub-views (x2many inside a form)."""
    for child in node:
        if child.tag == "field":
            yield child
        else:
            yield from _field_nodes(child)


def spec_from_arch(arch, fields):
    root = ElementTree.fromstring(arch)
    spec = {}
    for node in _field_nodes(root):
        name = node.get("name")
        field = fields.get(name)
        if not field:
            continue
        ftype = field["type"]
        if ftype in ("many2one", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        elif ftype == "one2many":
            spec[name] = {"fields": {}}
        else:
            spec[name] = {}
    return spec


def fields_of(get_views_result, model):
    info = get_views_result["models"][model]
    return info.get("fields", info)


def spec_from_view(Model, view_id, view_type):
    res = Model.get_views([(view_id, view_type)])
    return spec_from_arch(res["views"][view_type]["arch"], fields_of(res, Model._name))
