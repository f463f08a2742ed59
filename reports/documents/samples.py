"""Sample inputs for the document generators, shaped like the real ones.

The report results have the shape `export_report --format json` prints and carry the
published figures of FACTS.md where there are some (the three-year review of 140-QĐ/TU,
the Hà Tĩnh bloc's sponsors); exact money amounts, counts of support records and
initiatives, the bloc's other sponsors and the district's criteria counts are illustrative.
The meeting is the 15/08/2016 giao ban of the Hà Tĩnh bloc as the source reports it, with
conclusions paraphrased from the article and tasks made up for the example. They serve the
tests and `render_documents --samples`, where no demo data is loaded; the real documents
come from the records.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

DECISION_REVIEW = {
    "report": "decision-review",
    "params": {"decision": "140-QĐ/TU", "as_of": "2019-05-22"},
    "totals": {
        "organisations": {"phu_trach": 55, "ket_nghia": 56},
        "organisations_total": 111,
        "communes": 56,
        "communes_reached": 23,
        "support_value_vnd": 50_312_400_000,
        "support_records": 1_286,
        "initiatives": 168,
    },
    "rows": [
        {"category": "Nhà tình nghĩa", "category_code": "nha-tinh-nghia", "group": "Nhà ở", "unit": "căn",
         "quantity": 24, "value_vnd": 1_200_000_000, "records": 24},
        {"category": "Nhà đại đoàn kết", "category_code": "nha-dai-doan-ket", "group": "Nhà ở", "unit": "căn",
         "quantity": 6, "value_vnd": 300_000_000, "records": 6},
        {"category": "Nhà mái ấm tình thương", "category_code": "nha-mai-am-tinh-thuong", "group": "Nhà ở",
         "unit": "căn", "quantity": 1, "value_vnd": 60_000_000, "records": 1},
        {"category": "Nhà mái ấm công đoàn", "category_code": "nha-mai-am-cong-doan", "group": "Nhà ở",
         "unit": "căn", "quantity": 1, "value_vnd": 60_000_000, "records": 1},
        {"category": "Nhà khăn quàng đỏ", "category_code": "nha-khan-quang-do", "group": "Nhà ở", "unit": "căn",
         "quantity": 1, "value_vnd": 50_000_000, "records": 1},
        {"category": "Nhà văn hóa thôn, xóm", "category_code": "nha-van-hoa-thon", "group": "", "unit": "nhà",
         "quantity": 15, "value_vnd": 6_750_000_000, "records": 15},
        {"category": "Sửa chữa, nâng cấp trường học", "category_code": "truong-hoc", "group": "", "unit": "trường",
         "quantity": 9, "value_vnd": 4_500_000_000, "records": 9},
        {"category": "Sửa chữa, nâng cấp trạm y tế", "category_code": "tram-y-te", "group": "", "unit": "trạm",
         "quantity": 4, "value_vnd": 1_200_000_000, "records": 4},
        {"category": "Máy vi tính", "category_code": "may-vi-tinh", "group": "", "unit": "bộ", "quantity": 107,
         "value_vnd": 1_070_000_000, "records": 40},
        {"category": "Máy in", "category_code": "may-in", "group": "", "unit": "chiếc", "quantity": 7,
         "value_vnd": 28_000_000, "records": 7},
        {"category": "Suất quà", "category_code": "suat-qua", "group": "", "unit": "suất", "quantity": 7120,
         "value_vnd": 3_560_000_000, "records": 712},
        {"category": "Suất học bổng", "category_code": "hoc-bong", "group": "", "unit": "suất", "quantity": 180,
         "value_vnd": 360_000_000, "records": 90},
        {"category": "Khám, tư vấn sức khỏe, cấp thuốc miễn phí", "category_code": "kham-suc-khoe", "group": "",
         "unit": "lượt người", "quantity": 2745, "value_vnd": 549_000_000, "records": 27},
        {"category": "Tiền mặt", "category_code": "tien-mat", "group": "", "unit": "đồng", "quantity": None,
         "value_vnd": 30_625_400_000, "records": 349},
    ],
    "tables": {
        "support_groups": [{"group": "Nhà ở", "quantity": 33, "value_vnd": 1_670_000_000}],
        "initiatives": [
            {"field": "Kinh tế", "status": "dang_thuc_hien", "initiatives": 61},
            {"field": "Văn hóa - xã hội", "status": "hoan_thanh", "initiatives": 52},
            {"field": "Xây dựng Đảng, hệ thống chính trị", "status": "dang_ky", "initiatives": 55},
        ],
    },
}  # fmt: skip

SPONSOR_SCORECARD = {
    "report": "sponsor-scorecard",
    "params": {
        "province": {"code": "42", "name": "Tỉnh Hà Tĩnh", "edition": "legacy"},
        "parent": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
        "since_year": 2012,
    },
    "totals": {
        "organisations": 75,
        "communes": 169,
        "communes_reached": 157,
        "support_value_vnd": 12_480_000_000,
        "initiatives": 212,
    },
    "rows": [
        {"organisation_id": 1, "kind": "so_nganh",
         "organisation": "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh", "short_name": "Sở NN&PTNT",
         "communes": 12, "communes_reached": 10, "support_value_vnd": 1_850_000_000, "initiatives": 14},
        {"organisation": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh", "short_name": "Đảng ủy Khối",
         "communes": 9, "communes_reached": 9, "support_value_vnd": 620_000_000, "initiatives": 9},
        {"organisation": "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh Hà Tĩnh", "short_name": "VP Đoàn ĐBQH, HĐND, UBND",
         "communes": 9, "communes_reached": 9, "support_value_vnd": 910_000_000, "initiatives": 9},
        {"organisation": "Chi bộ Cơ quan Ủy ban MTTQ tỉnh Hà Tĩnh", "short_name": "Chi bộ UB MTTQ tỉnh",
         "communes": 7, "communes_reached": 7, "support_value_vnd": 450_000_000, "initiatives": 7},
        {"organisation": "Đảng bộ Cơ quan Tỉnh đoàn Hà Tĩnh", "short_name": "Đảng bộ Tỉnh đoàn",
         "communes": 7, "communes_reached": 6, "support_value_vnd": 380_000_000, "initiatives": 8},
        {"organisation": "Đảng bộ Sở Khoa học và Công nghệ Hà Tĩnh", "short_name": "Đảng bộ Sở KH&CN",
         "communes": 7, "communes_reached": 6, "support_value_vnd": 560_000_000, "initiatives": 7},
        {"organisation": "Đảng bộ Sở Tài nguyên và Môi trường Hà Tĩnh", "short_name": "Đảng bộ Sở TN&MT",
         "communes": 6, "communes_reached": 6, "support_value_vnd": 430_000_000, "initiatives": 6},
        {"organisation": "Kho bạc Nhà nước Hà Tĩnh", "short_name": "KBNN Hà Tĩnh",
         "communes": 1, "communes_reached": 1, "support_value_vnd": 10_000_000, "initiatives": 1},
    ],
}  # fmt: skip

CRITERIA_SUMMARY = {
    "report": "criteria-summary",
    "params": {"district": "Huyện Kỳ Anh", "year": 2017},
    "totals": {
        "communes": 20,
        "average_met": 9.8,
        "reached": 1,
        "all_met": 1,
        "bands": {"19": 1, "15-18": 2, "10-14": 6, "5-9": 9, "0-4": 2},
    },
    "rows": [
        {"number": n, "name": name, "assessed": 20, "met": met, "rate": met * 5}
        for n, name, met in sorted(
            [
                (1, "Quy hoạch", 20), (2, "Giao thông", 4), (3, "Thủy lợi", 15), (4, "Điện", 17),
                (5, "Trường học", 6), (6, "Cơ sở vật chất văn hóa", 5), (7, "Cơ sở hạ tầng thương mại nông thôn", 9),
                (8, "Thông tin và Truyền thông", 18), (9, "Nhà ở dân cư", 8), (10, "Thu nhập", 5),
                (11, "Hộ nghèo", 6), (12, "Lao động có việc làm", 16), (13, "Tổ chức sản xuất", 12),
                (14, "Giáo dục và Đào tạo", 13), (15, "Y tế", 11), (16, "Văn hóa", 7),
                (17, "Môi trường và an toàn thực phẩm", 3), (18, "Hệ thống chính trị và tiếp cận pháp luật", 9),
                (19, "Quốc phòng và An ninh", 8),
            ],
            key=lambda item: (item[2], item[0]),
        )
    ],
}  # fmt: skip


def _participation(order, name, position, role, organisation=""):
    person = SimpleNamespace(name=name) if name else None
    return SimpleNamespace(order=order, person=person, position=position, organisation_label=organisation, role=role)


def sample_meeting():
    """The 15/08/2016 giao ban of the Hà Tĩnh bloc, as plain objects with the meetings app's attribute names."""
    bloc = SimpleNamespace(
        name="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh",
        short_name="Đảng ủy Khối",
        kind="to_chuc_dang",
        parent_id=None,
        parent=None,
        home_unit=None,
    )
    dung = _participation(1, "Trần Thế Dũng", "TUV, Bí thư Đảng ủy Khối", "chu_tri")
    vinh = _participation(2, "Lê Văn Vinh", "Phó Bí thư Thường trực Đảng ủy Khối", "dong_chu_tri")
    long_ = _participation(3, "Ngô Đình Long", "Phó Chánh Văn phòng Điều phối CTMTQG xây dựng nông thôn mới tỉnh", "du")
    delegates = _participation(
        4, "", "Đại diện lãnh đạo cấp ủy, chuyên môn, Tổ xây dựng nông thôn mới của 13 đơn vị cấp tỉnh", "du"
    )
    hanh = _participation(5, "Nguyễn Văn Hạnh", "Phó Bí thư Đảng bộ, Phó Giám đốc Sở VHTTDL", "du")
    tuan = _participation(6, "Trần Quang Tuấn", "Phó Giám đốc Sở GTVT", "du")
    thao = _participation(7, "Nguyễn Văn Thảo", "", "du", "Sở Nội vụ")
    hoan = _participation(8, "Nguyễn Thế Hoàn", "TUV, Bí thư Đảng bộ, Bí thư Tỉnh đoàn", "du")
    criterion = SimpleNamespace
    speeches = [
        SimpleNamespace(order=1, speaker=vinh, kind="bao_cao_de_dan", topic="", criteria=[],
                        summary="51 đảng bộ, chi bộ trực thuộc Đảng bộ Khối đỡ đầu, giúp đỡ 73 xã; một số tiêu chí "
                        "đạt thấp: 17, 2, 6, 10, 11, 5, 16."),
        SimpleNamespace(order=2, speaker=hanh, kind="phat_bieu", topic="", criteria=[criterion(number=6),
                        criterion(number=16)], summary="Tập trung cho các xã về đích năm 2016."),
        SimpleNamespace(order=3, speaker=tuan, kind="phat_bieu", topic="", criteria=[criterion(number=2)],
                        summary="Cơ chế hỗ trợ xi măng làm đường giao thông nông thôn."),
        SimpleNamespace(order=4, speaker=thao, kind="phat_bieu", topic="", criteria=[criterion(number=18)],
                        summary="Quan tâm chất lượng cán bộ các đoàn thể ở xã."),
        SimpleNamespace(order=5, speaker=hoan, kind="phat_bieu", topic="", criteria=[],
                        summary="Xây dựng 238 đường điện thắp sáng, dài 224,8 km."),
        SimpleNamespace(order=6, speaker=long_, kind="phat_bieu", topic="", criteria=[],
                        summary="Đề nghị kiện toàn Tổ giúp việc, thực hiện tốt công tác đỡ đầu."),
        SimpleNamespace(order=7, speaker=dung, kind="ket_luan", topic="", criteria=[],
                        summary="Xây dựng nông thôn mới là nhiệm vụ trọng tâm, xuyên suốt cả nhiệm kỳ."),
    ]  # fmt: skip
    conclusions = [
        SimpleNamespace(order=1, text="Cấp ủy các đơn vị bám sát các thông báo kết luận của Ban Chỉ đạo tỉnh và Kế "
                        "hoạch 11 ngày 27/5/2016 của Ban Thường vụ Đảng ủy Khối."),
        SimpleNamespace(order=2, text="Củng cố, kiện toàn Tổ giúp việc xây dựng nông thôn mới của các đơn vị."),
        SimpleNamespace(order=3, text="Đẩy mạnh công tác đỡ đầu theo các quyết định của UBND tỉnh."),
    ]  # fmt: skip
    owner = SimpleNamespace(name="Các đảng bộ, chi bộ trực thuộc Đảng bộ Khối")
    tasks = [
        SimpleNamespace(text="Kiện toàn Tổ giúp việc xây dựng nông thôn mới", owner=owner,
                        due_date=datetime.date(2016, 9, 30), communes=[], criteria=[]),
        SimpleNamespace(text="Xây dựng kế hoạch đỡ đầu, ký kết giúp xã", owner=owner,
                        due_date=datetime.date(2016, 10, 31), communes=[], criteria=[criterion(number=17)]),
    ]  # fmt: skip
    return SimpleNamespace(
        title="Hội nghị giao ban công tác lãnh đạo, chỉ đạo xây dựng nông thôn mới 7 tháng đầu năm 2016",
        kind="giao_ban",
        start=datetime.datetime(2016, 8, 15, 14, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        local_date=datetime.date(2016, 8, 15),
        place="Hội trường Đảng ủy Khối",
        organiser=bloc,
        is_online=False,
        bridge_point_count=None,
        bridge_units=[],
        decisions=[],
        period_from=datetime.date(2016, 1, 1),
        period_to=datetime.date(2016, 7, 31),
        summary="",
        participations=[dung, vinh, long_, delegates, hanh, tuan, thao, hoan],
        speeches=speeches,
        conclusions=conclusions,
        tasks=tasks,
    )
