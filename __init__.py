from . import const
from . import controllers
from . import models
from . import report
from . import wizard
