"""pytest plugin for tools/test: collection fix-ups for the whole run."""


def pytest_collection_modifyitems(config, items):
    # Test modules that import Odoo's WebSuite (web/tests/test_js.py) make
    # pytest collect WebSuite's own generic methods too; under Odoo's runner
    # only the subclass's own entry point runs. Keep that entry point.
    try:
        from odoo.addons.web.tests.test_js import WebSuite
    except ImportError:
        return
    kept, dropped = [], []
    for item in items:
        cls = getattr(item, "cls", None)
        inherited = (
            cls is not None
            and issubclass(cls, WebSuite)
            and (cls is WebSuite or item.originalname not in vars(cls))
        )
        (dropped if inherited else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
