from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The five jobs people do in the system; each is a group of the same name."""

    PROVINCE_COORDINATOR = "province_coordinator", _("Văn phòng điều phối tỉnh")
    DISTRICT_CLERK = "district_clerk", _("Cán bộ cấp huyện")
    COMMUNE_CLERK = "commune_clerk", _("Cán bộ cấp xã")
    SPONSOR_CLERK = "sponsor_clerk", _("Đầu mối cơ quan đỡ đầu")
    VIEWER = "viewer", _("Người xem báo cáo")


# The group of each role, by the name the data migration gives it (data: never translated).
GROUP_NAMES = {
    Role.PROVINCE_COORDINATOR: "Văn phòng điều phối tỉnh",
    Role.DISTRICT_CLERK: "Cán bộ cấp huyện",
    Role.COMMUNE_CLERK: "Cán bộ cấp xã",
    Role.SPONSOR_CLERK: "Đầu mối cơ quan đỡ đầu",
    Role.VIEWER: "Người xem báo cáo",
}

# The level of the unit each role is attached to (sponsor clerks are attached to an organisation).
UNIT_LEVELS = {
    Role.PROVINCE_COORDINATOR: (1,),
    Role.DISTRICT_CLERK: (2,),
    Role.COMMUNE_CLERK: (3,),
    Role.VIEWER: (1, 2),
}
