"""Builds the sponsorship demo workbooks in seeds/data/ (deterministic: same bytes on every run).

    .venv/bin/python seeds/build_sponsorship_demo.py

Each workbook is the project's own import template (ntm_site.spreadsheets.workbooks.
template_workbook of the resource) filled below its hint row, so `seed_demo` loads it
through the same engine a clerk uses. Unit codes and names come from the official legacy
list shipped by `vietnamadminunits`. Which figures are published and which splits are
the project's illustration is written in seeds/README.md; keep the two in step.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "seeds" / "data"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

D = datetime.date

# --- published figures (FACTS.md) ---------------------------------------------------------

NB_DECISION = "140-QĐ/TU"
NB_REGULATION = "141-QĐ/TU"
NB_AMENDMENT = "MH-BS/140-QĐ/TU"  # illustrative: the 56th special commune
NB_ISSUED = D(2016, 3, 1)
NB_REVIEW = D(2019, 5, 22)
NB_ISSUER = "Ban Thường vụ Tỉnh ủy Ninh Bình"
NB_AGENCIES = 55
NB_ENTERPRISES = 56
NB_COMMUNES_AT_ISSUE = 55
NB_COMMUNES_AT_REVIEW = 56
NB_REACHED_AT_REVIEW = 23
NB_SUPPORT = {  # category code -> published quantity over the three years
    "nha-tinh-nghia": 24,
    "nha-dai-doan-ket": 6,
    "nha-mai-am-tinh-thuong": 1,
    "nha-mai-am-cong-doan": 1,
    "nha-khan-quang-do": 1,
    "nha-van-hoa-thon": 15,
    "truong-hoc": 9,
    "tram-y-te": 4,
    "may-vi-tinh": 107,
    "may-in": 7,
    "suat-qua": 7120,
    "hoc-bong": 180,
}
NB_HEALTH_PEOPLE = 2745  # published: "trên 2.700"; the exact count is illustrative
NB_TOTAL_VALUE = 50_420_000_000  # published: "trên 50 tỷ đồng"; the exact sum is illustrative

HT_REPORT_DAY = D(2022, 3, 31)  # "early 2022" (source 004), our reading
HT_MEETING_DAY = D(2016, 8, 15)  # source 000: 51 Party organisations sponsor 73 communes
HT_UNITS, HT_COMMUNES, HT_REACHED = 75, 169, 157
HT_MEETING_ORGS, HT_MEETING_COMMUNES = 51, 73

BLOC = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh"
# (full name, short name as the source writes it, communes, reached)
HT_NAMED = [
    ("Đảng bộ Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh", "Đảng bộ Sở NN&PTNT", 12, 10),
    (BLOC, "Đảng ủy Khối CCQ&DN tỉnh", 9, 9),
    ("Đảng bộ Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh Hà Tĩnh", "Đảng bộ VP Đoàn ĐBQH, HĐND, UBND tỉnh", 9, 9),
    ("Chi bộ Cơ quan Ủy ban MTTQ tỉnh Hà Tĩnh", "Chi bộ Cơ quan UB MTTQ tỉnh", 7, 7),
    ("Đảng bộ Cơ quan Tỉnh đoàn Hà Tĩnh", "Đảng bộ Cơ quan Tỉnh đoàn", 7, 6),
    ("Đảng bộ Sở Khoa học và Công nghệ tỉnh Hà Tĩnh", "Đảng bộ Sở KH&CN", 7, 6),
    ("Đảng bộ Sở Tài nguyên và Môi trường tỉnh Hà Tĩnh", "Đảng bộ Sở TN&MT", 6, 6),
]
TREASURY = ("Đảng bộ Kho bạc Nhà nước Hà Tĩnh", "Kho bạc Nhà nước Hà Tĩnh")
YOUTH = "Đảng bộ Cơ quan Tỉnh đoàn Hà Tĩnh"
HA_LINH, HUONG_LIEN = "18502", "18559"  # Xã Hà Linh, Xã Hương Liên (Huyện Hương Khê)
KY_ANH_DISTRICT = "447"  # the criteria demo's 2017 assessments there keep their own average

# --- organisations whose names exist in every province (the pairings are illustrative) -----

NB_AGENCY_NAMES = [
    ("Văn phòng Tỉnh ủy", "co_quan_dang"),
    ("Ban Tổ chức Tỉnh ủy", "co_quan_dang"),
    ("Ban Tuyên giáo Tỉnh ủy", "co_quan_dang"),
    ("Ban Dân vận Tỉnh ủy", "co_quan_dang"),
    ("Ủy ban Kiểm tra Tỉnh ủy", "co_quan_dang"),
    ("Ban Nội chính Tỉnh ủy", "co_quan_dang"),
    ("Trường Chính trị tỉnh", "co_quan_dang"),
    ("Báo Ninh Bình", "su_nghiep"),
    ("Đảng ủy Khối các cơ quan tỉnh", "co_quan_dang"),
    ("Đảng ủy Khối Doanh nghiệp tỉnh", "co_quan_dang"),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "so_nganh"),
    ("Văn phòng UBND tỉnh", "so_nganh"),
    ("Sở Kế hoạch và Đầu tư", "so_nganh"),
    ("Sở Tài chính", "so_nganh"),
    ("Sở Công Thương", "so_nganh"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "so_nganh"),
    ("Sở Giao thông Vận tải", "so_nganh"),
    ("Sở Xây dựng", "so_nganh"),
    ("Sở Tài nguyên và Môi trường", "so_nganh"),
    ("Sở Thông tin và Truyền thông", "so_nganh"),
    ("Sở Lao động – Thương binh và Xã hội", "so_nganh"),
    ("Sở Văn hóa và Thể thao", "so_nganh"),
    ("Sở Du lịch", "so_nganh"),
    ("Sở Khoa học và Công nghệ", "so_nganh"),
    ("Sở Giáo dục và Đào tạo", "so_nganh"),
    ("Sở Y tế", "so_nganh"),
    ("Sở Tư pháp", "so_nganh"),
    ("Sở Nội vụ", "so_nganh"),
    ("Sở Ngoại vụ", "so_nganh"),
    ("Thanh tra tỉnh", "so_nganh"),
    ("Ban Dân tộc tỉnh", "so_nganh"),
    ("Ban Quản lý các khu công nghiệp tỉnh", "so_nganh"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "mttq_doan_the"),
    ("Tỉnh đoàn", "mttq_doan_the"),
    ("Hội Liên hiệp Phụ nữ tỉnh", "mttq_doan_the"),
    ("Hội Nông dân tỉnh", "mttq_doan_the"),
    ("Hội Cựu chiến binh tỉnh", "mttq_doan_the"),
    ("Liên đoàn Lao động tỉnh", "mttq_doan_the"),
    ("Bộ Chỉ huy Quân sự tỉnh", "luc_luong_vu_trang"),
    ("Công an tỉnh", "luc_luong_vu_trang"),
    ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "luc_luong_vu_trang"),
    ("Đài Phát thanh và Truyền hình tỉnh", "su_nghiep"),
    ("Ngân hàng Nhà nước chi nhánh tỉnh", "so_nganh"),
    ("Kho bạc Nhà nước tỉnh", "so_nganh"),
    ("Cục Thuế tỉnh", "so_nganh"),
    ("Bảo hiểm xã hội tỉnh", "so_nganh"),
    ("Cục Thống kê tỉnh", "so_nganh"),
    ("Ngân hàng Chính sách xã hội chi nhánh tỉnh", "so_nganh"),
    ("Liên minh Hợp tác xã tỉnh", "mttq_doan_the"),
    ("Hội Chữ thập đỏ tỉnh", "mttq_doan_the"),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "mttq_doan_the"),
    ("Trường Đại học Hoa Lư", "su_nghiep"),
    ("Bệnh viện Đa khoa tỉnh", "su_nghiep"),
    ("Viện Kiểm sát nhân dân tỉnh", "khac"),
    ("Tòa án nhân dân tỉnh", "khac"),
]
HT_MEMBER_NAMES = [
    "Đảng bộ Sở Tài chính",
    "Đảng bộ Sở Kế hoạch và Đầu tư",
    "Đảng bộ Sở Công Thương",
    "Đảng bộ Sở Xây dựng",
    "Đảng bộ Sở Giao thông Vận tải",
    "Đảng bộ Sở Văn hóa, Thể thao và Du lịch",
    "Đảng bộ Sở Nội vụ",
    "Đảng bộ Sở Thông tin và Truyền thông",
    "Đảng bộ Sở Lao động – Thương binh và Xã hội",
    "Đảng bộ Sở Giáo dục và Đào tạo",
    "Đảng bộ Sở Y tế",
    "Đảng bộ Sở Tư pháp",
    "Đảng bộ Thanh tra tỉnh",
    "Đảng bộ Cục Thuế tỉnh",
    "Đảng bộ Bảo hiểm xã hội tỉnh",
    "Chi bộ Cục Thống kê tỉnh",
    "Đảng bộ Ngân hàng Nhà nước chi nhánh tỉnh",
    "Chi bộ Cơ quan Hội Nông dân tỉnh",
    "Chi bộ Cơ quan Hội Liên hiệp Phụ nữ tỉnh",
    "Chi bộ Cơ quan Liên đoàn Lao động tỉnh",
    "Chi bộ Cơ quan Hội Cựu chiến binh tỉnh",
]
HT_PLACEHOLDERS = HT_UNITS - len(HT_NAMED) - 1 - len(HT_MEMBER_NAMES)  # the rest: named as illustrations


# --- the units we use ---------------------------------------------------------------------


@dataclass
class Commune:
    code: str
    name: str  # "Xã Hương Liên"
    district_code: str
    district: str  # "Huyện Hương Khê"

    @property
    def label(self) -> str:
        return f"{self.name}, {self.district}"


def legacy_communes(province_code: str) -> list[Commune]:
    """Rural communes (xã) of one province in the legacy list, by code."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT wardCode, ward, wardType, districtCode, district FROM admin_units_legacy "
        f"WHERE provinceCode = '{province_code}' AND wardType = 'Xã' ORDER BY wardCode"
    )
    return [Commune(r["wardCode"], r["ward"], r["districtCode"], r["district"]) for r in rows]


def compound_name(commune: Commune) -> bool:
    """Names of three or more words are, in these two provinces, mostly communes formed by the
    2019–2020 mergers: the demo keeps them out of assignments dated before 2021."""
    return len(commune.name.split()) >= 4


# --- the rows -----------------------------------------------------------------------------


@dataclass
class Book:
    slug: str
    rows: list[list] = field(default_factory=list)


def with_province(name: str, province: str) -> str:
    """ "Sở Tài chính" -> "Sở Tài chính tỉnh Ninh Bình"; "Thanh tra tỉnh" -> "Thanh tra tỉnh Ninh Bình"."""
    if name.endswith(("Ninh Bình", "Hoa Lư")):
        return name
    if name.endswith(("tỉnh", "Tỉnh ủy")):
        return f"{name} {province}"
    return f"{name} tỉnh {province}"


def fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def spread(first: datetime.date, last: datetime.date, n: int, i: int) -> datetime.date:
    """The i-th of n days spread evenly from first to last (deterministic)."""
    if n <= 1:
        return first
    return first + datetime.timedelta(days=(last - first).days * i // (n - 1))


def build():
    organisations, decisions, assignments = Book("organisations"), Book("decisions"), Book("assignments")
    support, initiatives, activities = Book("support-records"), Book("initiatives"), Book("activities")
    proposals, recognitions = Book("proposals"), Book("ntm-recognitions")

    # Ninh Bình -------------------------------------------------------------------------
    nb = legacy_communes("37")
    by_district = defaultdict(list)
    for c in nb:
        by_district[c.district_code].append(c)
    quota = {"372": 15, "373": 9, "376": 11, "377": 7, "375": 7, "374": 4, "370": 3}
    special = []
    for district, k in quota.items():
        pool = by_district[district]
        step = max(1, len(pool) // k)
        special.extend(pool[i * step] for i in range(k))
    assert len(special) == NB_COMMUNES_AT_REVIEW
    added = special.pop(30)  # the commune added later (illustrative)
    special.append(added)

    agencies = [(with_province(name, "Ninh Bình"), kind) for name, kind in NB_AGENCY_NAMES]
    assert len(agencies) == NB_AGENCIES
    for name, kind in agencies:
        organisations.rows.append([name, "", kind, "", "37"])
    enterprises = [
        f"Doanh nghiệp kết nghĩa số {i:02d} – Ninh Bình (tên minh họa)" for i in range(1, NB_ENTERPRISES + 1)
    ]
    for i, name in enumerate(enterprises, start=1):
        organisations.rows.append([name, f"DN kết nghĩa {i:02d}", "doanh_nghiep", "", "37"])

    decisions.rows += [
        [
            NB_DECISION,
            "Quyết định",
            NB_ISSUER,
            fmt(NB_ISSUED),
            2016,
            2020,
            "Phân công cơ quan, đơn vị phụ trách và doanh nghiệp kết nghĩa với các xã, phường, thị trấn có tính chất "
            "đặc thù",
            "37",
            "",
        ],
        [
            NB_REGULATION,
            "Quy định",
            NB_ISSUER,
            fmt(NB_ISSUED),
            2016,
            2020,
            "Quy định ban hành cùng Quyết định 140-QĐ/TU về trách nhiệm của cơ quan, đơn vị phụ trách, doanh nghiệp "
            "kết nghĩa và xã đặc thù",
            "37",
            "",
        ],
        [
            NB_AMENDMENT,
            "Quyết định",
            NB_ISSUER,
            fmt(D(2017, 1, 10)),
            2017,
            2020,
            "(Văn bản minh họa, số hiệu giả định) Bổ sung một xã đặc thù vào danh sách phân công theo Quyết định "
            "140-QĐ/TU: dữ liệu mẫu dùng nó để khớp 55 xã khi ban hành và 56 xã khi sơ kết 3 năm",
            "37",
            NB_DECISION,
        ],
    ]

    nb_assignments = []  # (org, commune, role, start)
    for i, commune in enumerate(special[:NB_COMMUNES_AT_ISSUE]):
        nb_assignments.append((agencies[i][0], commune, "Phụ trách", NB_ISSUED, NB_DECISION))
        nb_assignments.append((enterprises[i], commune, "Kết nghĩa", NB_ISSUED, NB_DECISION))
    # Fifty-six enterprises for fifty-five communes: the first commune has two.
    nb_assignments.append((enterprises[55], special[0], "Kết nghĩa", NB_ISSUED, NB_DECISION))
    amended_on = D(2017, 1, 10)
    nb_assignments.append((agencies[15][0], added, "Phụ trách", amended_on, NB_AMENDMENT))
    nb_assignments.append((enterprises[1], added, "Kết nghĩa", amended_on, NB_AMENDMENT))
    for org, commune, role, start, symbol in nb_assignments:
        assignments.rows.append([symbol, org, commune.code, commune.label, role, fmt(start), "", ""])

    in_charge = {c.code: (org, symbol) for org, c, role, _s, symbol in nb_assignments if role == "Phụ trách"}
    twinned = {}
    for org, c, role, _s, symbol in nb_assignments:
        if role == "Kết nghĩa":
            twinned.setdefault(c.code, (org, symbol))

    def nb_support(commune, day, category, quantity, unit_value, description, *, by_enterprise=False):
        org, symbol = (twinned if by_enterprise else in_charge)[commune.code]
        role = "Kết nghĩa" if by_enterprise else "Phụ trách"
        support.rows.append(
            [
                symbol,
                org,
                commune.code,
                commune.label,
                role,
                fmt(day),
                category,
                quantity,
                "",
                quantity * unit_value,
                "",
                description,
                "",
            ]
        )
        return quantity * unit_value

    first, last = D(2016, 6, 1), D(2019, 4, 30)
    total = 0
    plan = [  # category, count of records, quantity each, value per unit, by enterprise, description
        ("nha-tinh-nghia", 24, 1, 50_000_000, False, "Hỗ trợ xây nhà tình nghĩa cho gia đình chính sách"),
        ("nha-dai-doan-ket", 6, 1, 40_000_000, True, "Hỗ trợ xây nhà đại đoàn kết cho hộ nghèo"),
        ("nha-van-hoa-thon", 15, 1, 600_000_000, False, "Hỗ trợ xây dựng nhà văn hóa thôn, xóm"),
        ("truong-hoc", 9, 1, 1_500_000_000, False, "Sửa chữa, nâng cấp trường học"),
        ("tram-y-te", 4, 1, 1_200_000_000, False, "Sửa chữa, nâng cấp trạm y tế xã"),
        ("may-in", 7, 1, 4_000_000, False, "Tặng máy in cho cơ quan xã"),
        ("hoc-bong", 36, 5, 1_000_000, True, "Trao học bổng cho học sinh nghèo vượt khó"),
    ]
    offset = 0
    for category, count, quantity, unit_value, by_enterprise, description in plan:
        for i in range(count):
            commune = special[(offset + i * 7) % len(special)]
            day = spread(first, last, count, i) + datetime.timedelta(days=offset % 5)
            total += nb_support(commune, day, category, quantity, unit_value, description, by_enterprise=by_enterprise)
        offset += count
    # The three special houses, each given by the agency that usually builds that kind.
    for category, agency_index, day, description in (
        ("nha-mai-am-tinh-thuong", 34, D(2017, 10, 20), "Hội Liên hiệp Phụ nữ hỗ trợ xây nhà mái ấm tình thương"),
        ("nha-mai-am-cong-doan", 37, D(2018, 7, 28), "Liên đoàn Lao động hỗ trợ xây nhà mái ấm công đoàn"),
        ("nha-khan-quang-do", 33, D(2018, 5, 19), "Tỉnh đoàn hỗ trợ xây nhà khăn quàng đỏ"),
    ):
        total += nb_support(special[agency_index], day, category, 1, 50_000_000, description)
    computers = [6] * 17 + [5]
    for i, quantity in enumerate(computers):
        commune = special[(i * 3 + 1) % len(special)]
        total += nb_support(
            commune,
            spread(first, last, len(computers), i),
            "may-vi-tinh",
            quantity,
            12_000_000,
            "Tặng máy vi tính cho bộ phận một cửa và trường học",
        )
    gifts = [(special[i], D(2017, 1, 16), 100) for i in range(NB_COMMUNES_AT_REVIEW)] + [
        (special[i], D(2018, 2, 5), 40) for i in range(38)
    ]
    assert sum(q for _c, _d, q in gifts) == NB_SUPPORT["suat-qua"]
    for commune, day, quantity in gifts:
        total += nb_support(
            commune,
            day,
            "suat-qua",
            quantity,
            500_000,
            "Tặng quà Tết cho hộ nghèo, gia đình chính sách",
            by_enterprise=commune.code in twinned and day.year == 2018,
        )
    for i in range(15):
        commune = special[(i * 4 + 2) % len(special)]
        total += nb_support(
            commune,
            spread(D(2016, 9, 1), D(2019, 3, 31), 15, i),
            "kham-suc-khoe",
            NB_HEALTH_PEOPLE // 15,
            100_000,
            "Khám, tư vấn sức khỏe và cấp thuốc miễn phí",
        )
    # The rest of the published total, in cash (the split is ours).
    cash_rows = 40
    rest = NB_TOTAL_VALUE - total
    each = rest // cash_rows // 1_000_000 * 1_000_000
    for i in range(cash_rows):
        amount = each if i < cash_rows - 1 else rest - each * (cash_rows - 1)
        commune = special[(i * 11 + 5) % len(special)]
        support.rows.append(
            [
                in_charge[commune.code][1],
                in_charge[commune.code][0],
                commune.code,
                commune.label,
                "Phụ trách",
                fmt(spread(first, last, cash_rows, i) + datetime.timedelta(days=2)),
                "tien-mat",
                "",
                "",
                amount,
                "",
                "Hỗ trợ kinh phí xây dựng công trình hạ tầng nông thôn mới",
                "",
            ]
        )
        total += amount
    assert total == NB_TOTAL_VALUE
    # After the three-year review: outside the window the review counted.
    for commune, day in ((special[3], D(2019, 10, 8)), (special[12], D(2020, 5, 14))):
        support.rows.append(
            [
                in_charge[commune.code][1],
                in_charge[commune.code][0],
                commune.code,
                commune.label,
                "Phụ trách",
                fmt(day),
                "tien-mat",
                "",
                "",
                200_000_000,
                "",
                "Hỗ trợ kinh phí sau sơ kết 3 năm (minh họa)",
                "",
            ]
        )

    # Recognitions: 23 of the 56 special communes by the three-year review.
    reached = [special[i] for i in range(0, 46, 2)]
    assert len(reached) == NB_REACHED_AT_REVIEW
    for i, commune in enumerate(reached):
        day = spread(D(2016, 12, 20), D(2019, 3, 28), len(reached), i)
        recognitions.rows.append(
            [
                commune.code,
                commune.label,
                "",
                "Công nhận đạt chuẩn",
                f"MH-NB-{i + 1:03d}/QĐ-UBND (minh họa)",
                fmt(day),
                "UBND tỉnh Ninh Bình",
                day.year,
            ]
        )

    # Initiatives: one concrete model per field for each agency, registered after the review.
    fields = [
        ("xay-dung-dang", "Nâng cao chất lượng sinh hoạt chi bộ thôn"),
        ("chinh-quyen", "Cải cách thủ tục hành chính tại bộ phận một cửa của xã"),
        ("mat-tran-doan-the", "Khu dân cư tự quản, đoàn kết"),
        ("phat-trien-kinh-te", "Mô hình sản xuất hữu cơ gắn với tiêu thụ sản phẩm"),
        ("nong-thon-moi", "Tuyến đường thôn, xóm sáng – xanh – sạch – đẹp"),
        ("van-hoa-xa-hoi", "Thôn văn hóa, gia đình văn hóa tiêu biểu"),
        ("moi-truong", "Thu gom, phân loại rác thải tại hộ gia đình"),
        ("quoc-phong-an-ninh", "Thôn, xóm an toàn về an ninh, trật tự"),
    ]
    for commune in special:
        org, symbol = in_charge[commune.code]
        for code, title in fields:
            initiatives.rows.append(
                [
                    symbol,
                    org,
                    commune.code,
                    commune.label,
                    "Phụ trách",
                    code,
                    title,
                    fmt(D(2019, 7, 15)),
                    "Đang thực hiện",
                    "",
                ]
            )

    # Activities: quarterly working sessions; six agencies stop visiting after 2017 (the problem
    # the sources name), so the recency report has something to show.
    quarters = [
        D(y, m, 15)
        for y in (2016, 2017, 2018, 2019)
        for m in (2, 5, 8, 11)
        if D(2016, 4, 1) <= D(y, m, 15) <= NB_REVIEW
    ]
    quiet = {special[i].code for i in (5, 17, 26, 38, 44, 51)}
    for commune in special:
        org, symbol = in_charge[commune.code]
        start = NB_ISSUED if symbol == NB_DECISION else amended_on
        for day in quarters:
            if day < start or (commune.code in quiet and day.year > 2017):
                continue
            activities.rows.append(
                [
                    symbol,
                    org,
                    commune.code,
                    commune.label,
                    "Phụ trách",
                    fmt(day),
                    "Làm việc với xã",
                    "Lãnh đạo cơ quan và cán bộ đầu mối",
                    "Làm việc với Đảng ủy, UBND xã về tiến độ thực hiện các tiêu chí nông thôn mới",
                ]
            )
    for i in range(5):
        commune = special[i * 9]
        org, symbol = in_charge[commune.code]
        day = D(2018, 5, 15)
        proposals.rows.append(
            [
                symbol,
                org,
                commune.code,
                commune.label,
                "Phụ trách",
                fmt(day),
                "Làm việc với xã",
                "Đề nghị hỗ trợ kinh phí cứng hóa kênh mương nội đồng",
                "",
                "Có" if i % 2 == 0 else "Không",
                fmt(D(2018, 9, 30)) if i % 2 == 0 else "",
                "Đã bố trí trong kế hoạch năm 2019" if i % 2 == 0 else "",
            ]
        )

    # Hà Tĩnh ------------------------------------------------------------------------------
    ht_all = legacy_communes("42")
    ht = [c for c in ht_all if c.code != "18130"]  # Xã Thuận Lộc (Thị xã Hồng Lĩnh) is the one not used
    assert len(ht) == HT_COMMUNES
    decisions.rows += [
        [
            symbol,
            "Quyết định",
            "UBND tỉnh Hà Tĩnh",
            fmt(day),
            first_year,
            last_year,
            f"(Văn bản minh họa, số hiệu giả định) Phân công cơ quan, đơn vị đỡ đầu xã xây dựng nông thôn mới "
            f"giai đoạn {first_year}–{last_year}",
            "42",
            "",
        ]
        for symbol, day, first_year, last_year in (
            ("MH-HT-2012/QĐ-UBND", D(2012, 3, 1), 2012, 2015),
            ("MH-HT-2016/QĐ-UBND", D(2016, 1, 15), 2016, 2020),
            ("MH-HT-2021/QĐ-UBND", D(2021, 3, 1), 2021, 2025),
        )
    ]
    era_decision = {
        "A": ("MH-HT-2012/QĐ-UBND", D(2012, 3, 1)),
        "B": ("MH-HT-2016/QĐ-UBND", D(2016, 1, 15)),
        "C": ("MH-HT-2021/QĐ-UBND", D(2021, 3, 1)),
    }

    members = [(with_province(n, "Hà Tĩnh"), n) for n in HT_MEMBER_NAMES]
    members += [
        (f"Tổ chức cơ sở đảng số {i:02d} thuộc Đảng bộ Khối (tên minh họa)", f"TCCS đảng {i:02d}")
        for i in range(1, HT_PLACEHOLDERS + 1)
    ]
    organisations.rows.append([BLOC, HT_NAMED[1][1], "co_quan_dang", "", "42"])
    for name, short, _n, _r in HT_NAMED:
        if name != BLOC:
            organisations.rows.append([name, short, "to_chuc_dang", BLOC, "42"])
    organisations.rows.append([TREASURY[0], TREASURY[1], "to_chuc_dang", BLOC, "42"])
    for name, short in members:
        organisations.rows.append([name, short, "to_chuc_dang", BLOC, "42"])

    # Slots: (organisation, era, reached). Eras: A = 2012–2015, B = 2016–2020, C = 2021–.
    named_b = {0: 5, 1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4}
    named_c = {0: 3, 4: 2, 5: 2}  # the rest of each named sponsor's communes are era A
    slots = []
    for i, (name, _short, n, r) in enumerate(HT_NAMED):
        b, c = named_b[i], named_c.get(i, 0)
        a = n - b - c
        unreached = n - r  # all in era C
        slots += [(name, "A", True)] * a + [(name, "B", True)] * b
        slots += [(name, "C", True)] * (c - unreached) + [(name, "C", False)] * unreached
    slots += [(TREASURY[0], "B", True), (TREASURY[0], "C", False)]  # Hương Liên is the C one
    two_slot, one_slot = members[:43], members[43:]
    assert len(one_slot) == 24
    for i, (name, _short) in enumerate(two_slot):
        slots.append((name, "B", i >= 6))  # six era-B communes had not reached standard by 2022
        slots.append((name, "C" if i < 4 else "A", True))
    for i, (name, _short) in enumerate(one_slot):
        slots.append((name, "C", i != 0))
    assert len(slots) == HT_COMMUNES
    assert sum(1 for s in slots if s[2]) == HT_REACHED
    assert len({s[0] for s in slots}) == HT_UNITS
    assert len({s[0] for s in slots if s[1] == "B"}) == HT_MEETING_ORGS
    assert sum(1 for s in slots if s[1] == "B") == HT_MEETING_COMMUNES

    # Communes to slots: Hà Linh to the Youth Union (era C), Hương Liên to the Treasury (era C);
    # Kỳ Anh's communes only in eras B and C with recognitions from 2018; merged names only in C.
    pool = {c.code: c for c in ht}
    used = set()

    def take(rank):
        """The free commune with the lowest (rank, code); rank None means not allowed."""
        free = [(rank(c), code) for code, c in pool.items() if code not in used and rank(c) is not None]
        if not free:
            raise RuntimeError("no commune left for a slot")
        code = min(free)[1]
        used.add(code)
        return code

    def ky_anh(c):
        return c.district_code == KY_ANH_DISTRICT

    ranks = {
        "C": lambda c: 0 if compound_name(c) else (1 if ky_anh(c) else 2),
        "B": lambda c: None if compound_name(c) else (0 if ky_anh(c) else 1),
        "A": lambda c: None if compound_name(c) or ky_anh(c) else 0,
    }
    placed = [[org, era, ok, None] for org, era, ok in slots]
    for item in placed:
        org, era, ok, _code = item
        if org == YOUTH and era == "C" and not ok:
            item[3] = HA_LINH
        elif org == TREASURY[0] and era == "C":
            item[3] = HUONG_LIEN
        if item[3]:
            used.add(item[3])
    for era in ("C", "B", "A"):
        for item in placed:
            if item[1] == era and item[3] is None:
                item[3] = take(ranks[era])
    assert len(used) == HT_COMMUNES

    era_counts = defaultdict(int)
    for k, (org, era, ok, code) in enumerate(placed):
        commune = pool[code]
        symbol, start = era_decision[era]
        assignments.rows.append([symbol, org, commune.code, commune.label, "Đỡ đầu", fmt(start), "", ""])
        if not ok:
            continue
        n = era_counts[era]
        era_counts[era] += 1
        if era == "A":
            day = spread(D(2013, 11, 20), D(2016, 6, 30), 60, n)
        elif era == "B":
            day = spread(D(2017, 3, 10), D(2020, 12, 18), 67, n)
            if ky_anh(commune):
                day = max(day, D(2018, 1, 15))
        else:
            day = spread(D(2021, 6, 10), D(2021, 12, 24), 30, n)
        recognitions.rows.append(
            [
                commune.code,
                commune.label,
                "",
                "Công nhận đạt chuẩn",
                f"MH-HT-{k + 1:03d}/QĐ-UBND (minh họa)",
                fmt(day),
                "UBND tỉnh Hà Tĩnh",
                day.year,
            ]
        )
    huong_lien = pool[HUONG_LIEN]
    support.rows.append(
        [
            "MH-HT-2021/QĐ-UBND",
            TREASURY[0],
            huong_lien.code,
            huong_lien.label,
            "Đỡ đầu",
            fmt(D(2021, 12, 20)),
            "xi-mang",
            7,
            "tấn",
            10_000_000,
            2,
            "Hỗ trợ xi măng xây dựng hạ tầng nông thôn mới",
            "",
        ]
    )

    return [
        (10, organisations),
        (11, decisions),
        (12, assignments),
        (13, support),
        (14, initiatives),
        (15, activities),
        (16, proposals),
        (20, recognitions),
    ]


# --- writing ------------------------------------------------------------------------------


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_site.settings")
    import django

    django.setup()


def workbook_bytes(slug: str, rows: list[list]) -> bytes:
    """The resource's template with `rows` below its hint row, saved with fixed timestamps."""
    from openpyxl import load_workbook

    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.workbooks import template_workbook

    wb = load_workbook(io.BytesIO(template_workbook(get_resource(slug))))
    ws = wb.worksheets[0]
    # Below the template's title (row 1), header (row 3) and hint row (row 4); the template
    # pre-formats the rows below, so append() would start after those.
    first = 5
    assert ws.cell(row=first, column=1).value is None and ws.cell(row=first - 2, column=1).value
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=1):
            if value not in ("", None):
                ws.cell(row=first + i, column=j, value=value)
    wb.properties.created = datetime.datetime(*FIXED_TIME)
    buf = io.BytesIO()
    wb.save(buf)
    return normalised_zip(buf.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalised_zip(data: bytes) -> bytes:
    """The same archive with fixed member timestamps and a fixed 'modified' property."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", content)
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, content)
    return out.getvalue()


def _labels(books):
    """Write catalogue entries as a clerk would: names and labels rather than codes."""
    import json

    from sponsorship.choices import OrganisationKind

    def names(fixture):
        rows = json.loads((ROOT / "fixtures" / fixture).read_text(encoding="utf-8"))
        return {r["fields"]["code"]: r["fields"]["name"] for r in rows}

    columns = {
        "support-records": (6, names("20_support_categories.json")),
        "initiatives": (5, names("21_initiative_fields.json")),
        "organisations": (2, {k: str(v) for k, v in OrganisationKind.choices}),
    }
    for _number, book in books:
        if book.slug in columns:
            index, labels = columns[book.slug]
            for row in book.rows:
                row[index] = labels[row[index]]
    return books


def main():
    _setup_django()
    DATA.mkdir(parents=True, exist_ok=True)
    for number, book in _labels(build()):
        path = DATA / f"{number:02d}_{book.slug}.xlsx"
        path.write_bytes(workbook_bytes(book.slug, book.rows))
        print(f"{path.relative_to(ROOT)}: {len(book.rows)} dòng")


if __name__ == "__main__":
    main()
