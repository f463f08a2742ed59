"""One demo account per role, on the demo data, so a newcomer can see what each clerk sees."""

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from divisions.choices import Edition
from divisions.models import AdministrativeUnit
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set
from sponsorship.models import Organisation


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    # (unit code, level), or the organisation's name for a sponsor clerk
    unit: tuple[str, int] | None = None
    organisation: str = ""
    edition: str = Edition.LEGACY


DEMO_USERS = (
    DemoUser("dieuphoi.ninhbinh", "Văn phòng Điều phối NTM tỉnh Ninh Bình", Role.PROVINCE_COORDINATOR, ("37", 1)),
    DemoUser("dieuphoi.hatinh", "Văn phòng Điều phối NTM tỉnh Hà Tĩnh", Role.PROVINCE_COORDINATOR, ("42", 1)),
    DemoUser("huyen.kyanh", "Cán bộ NTM huyện Kỳ Anh", Role.DISTRICT_CLERK, ("447", 2)),
    DemoUser("xa.kybac", "Cán bộ NTM xã Kỳ Bắc", Role.COMMUNE_CLERK, ("18760", 3)),
    DemoUser(
        "daumoi.vptu.ninhbinh",
        "Đầu mối Văn phòng Tỉnh ủy Ninh Bình",
        Role.SPONSOR_CLERK,
        organisation="Văn phòng Tỉnh ủy Ninh Bình",
    ),
    DemoUser("xem.ninhbinh", "Người xem báo cáo tỉnh Ninh Bình", Role.VIEWER, ("37", 1)),
    # The 2025 map (two levels, no district): the 2026 season of Hà Tĩnh (seeds.build_season_2026).
    DemoUser(
        "dieuphoi.hatinh2025",
        "Văn phòng Điều phối NTM tỉnh Hà Tĩnh (bản đồ 2025)",
        Role.PROVINCE_COORDINATOR,
        ("42", 1),
        edition=Edition.REFORM_2025,
    ),
    DemoUser("xa.kyxuan", "Cán bộ NTM xã Kỳ Xuân", Role.COMMUNE_CLERK, ("18766", 3), edition=Edition.REFORM_2025),
)


class Command(BaseCommand):
    help = (
        "Tạo (hoặc đặt lại) một tài khoản dùng thử cho mỗi vai trò trên dữ liệu mẫu "
        "(cần chạy sau load_divisions và seed_demo) và in thông tin đăng nhập."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_USERS_PASSWORD", "ntm-demo-2026"))

    @transaction.atomic
    def handle(self, *args, password, verbosity, **options):
        User = get_user_model()
        lines = []
        for demo in DEMO_USERS:
            unit = organisation = None
            if demo.unit:
                code, level = demo.unit
                unit = AdministrativeUnit.objects.filter(code=code, level=level, edition=demo.edition).first()
                if unit is None:
                    raise CommandError(f"Không tìm thấy đơn vị mã {code} (cấp {level}): hãy chạy load_divisions trước.")
            else:
                organisation = Organisation.objects.filter(name=demo.organisation).first()
                if organisation is None:
                    raise CommandError(f"Không tìm thấy “{demo.organisation}”: hãy chạy seed_demo trước.")
            user, _created = User.objects.get_or_create(
                username=demo.username, defaults={"email": f"{demo.username}@example.vn"}
            )
            user.first_name = demo.full_name
            user.is_staff, user.is_superuser = True, False
            user.set_password(password)
            user.save()
            record = user_scope_set(user=user, role=demo.role, unit=unit, organisation=organisation)
            lines.append(f"  {demo.username:<24} {record.get_role_display()} – {record.place}")
        if verbosity:
            self.stdout.write(f"Tài khoản dùng thử theo vai trò (mật khẩu chung: {password}):")
            self.stdout.write("\n".join(lines))
