"""The ``specification`` the Odoo 18 web client sends for a view, from its arch.

Close enough to ``getFieldsSpec`` for a benchmark: every field node of the
arch outside sub-views; relational fields read their ``display_name`` (one2many
their ids only). Used in process (bench_scale.py) and over JSON-RPC
(locustfile.py, with the result of ``get_views``).
"""

import json
from xml.etree import ElementTree  # stdlib: the locust venv has no lxml


def _field_nodes(node):
    """Field nodes of the arch, not those of sub-views (x2many inside a form)."""
    for child in node:
        if child.tag == "field":
            yield child
        else:
            yield from _field_nodes(child)


def get_views_kwargs(plan, context):
    """The keyword arguments of the handlers' ``get_views``: the complaints
    action's board (else the default kanban), the list and the form."""
    return {
        "views": [
            [plan.get("kanban_view_id") or False, "kanban"],
            [False, "list"],
            [False, "form"],
        ],
        "options": {},
        "context": context,
    }


def handler_context(plan, uid):
    context = {
        "lang": "en_US",
        "tz": "UTC",
        "uid": uid,
        "allowed_company_ids": [1],
    }
    if plan["mode"] == "complaint":
        context["default_is_complaint"] = True
    return context


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


def kanban_requests(arch, fields):
    """What the kanban asks besides its cards: the aggregates of every column's
    ``web_read_group`` (each field of the arch with an aggregator, as
    ``relational_model.js`` ``_webReadGroup`` sends them) and the
    ``read_progress_bar`` argument of its ``<progressbar>`` (or None)."""
    spec = spec_from_arch(arch, fields)
    aggregates = [
        f"{name}:{fields[name]['aggregator']}"
        for name in spec
        if fields[name].get("aggregator") and name != "stage_id"
    ]
    node = ElementTree.fromstring(arch).find(".//progressbar")
    progress_bar = None
    if node is not None:
        progress_bar = {
            "field": node.get("field"),
            "colors": json.loads(node.get("colors") or "{}"),
            "sum_field": node.get("sum_field") or False,
        }
    return aggregates, progress_bar


def fields_of(get_views_result, model):
    info = get_views_result["models"][model]
    return info.get("fields", info)


def spec_from_view(Model, view_id, view_type):
    res = Model.get_views([(view_id, view_type)])
    return spec_from_arch(res["views"][view_type]["arch"], fields_of(res, Model._name))


def kanban_requests_from_view(Model, view_id):
    res = Model.get_views([(view_id, "kanban")])
    return kanban_requests(res["views"]["kanban"]["arch"], fields_of(res, Model._name))
