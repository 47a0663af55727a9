from . import portal
from . import portal_product
from . import repair
