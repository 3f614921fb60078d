#!/usr/bin/env python3
"""Write a campaign folder (the campaign file and the records that come in
for it, in the formats of tests/records/) with conflicts planted at random
positions, and where each was put: the test of `gen campaign check` and
the benchmark's workload.

  make_campaign.py DIR [--bodies 10] [--enterprises 40] [--nominees 4]
                   [--seed 1] [--plant] [--no-public-list]

Without --plant the folder is clean: every body self-checks in time and
nominates within the quota, every city reports in time, every name and
certificate number is unique, and `gen campaign check` has nothing to say.
With --plant it holds one of each kind of conflict `gen campaign check`
must find, and decoys it must not take for conflicts (a name written with
full-width letters and spaces, 有限责任公司 for 有限公司 with the certificate
agreeing, a namesake of another certificate type, 有限责任公司 with another
certificate).  DIR/planted.json lists the planted ones: kind, file, line
(where the finding must be reported), name (the enterprise or body it must
name), blocking (whether it blocks publication).  Deterministic for a seed.
"""
import argparse
import json
import os
import random
from xml.sax.saxutils import escape

CITIES = {
    "杭州市": ["上城区", "西湖区", "滨江区", "萧山区", "建德市"], "宁波市": ["海曙区", "北仑区", "鄞州区", "象山县"],
    "温州市": ["鹿城区", "瑞安市", "乐清市"], "嘉兴市": ["南湖区", "海宁市", "桐乡市"], "湖州市": ["吴兴区", "南浔区", "德清县"],
    "绍兴市": ["越城区", "柯桥区", "诸暨市"], "金华市": ["婺城区", "金东区", "义乌市"], "衢州市": ["柯城区", "江山市"],
    "舟山市": ["定海区", "普陀区", "岱山县"], "台州市": ["椒江区", "黄岩区", "温岭市"], "丽水市": ["莲都区", "龙泉市", "青田县"],
}
CITY_ORDER = list(CITIES)
AREA = {"杭州市": "0571", "宁波市": "0574", "温州市": "0577", "嘉兴市": "0573", "湖州市": "0572", "绍兴市": "0575",
        "金华市": "0579", "衢州市": "0570", "舟山市": "0580", "台州市": "0576", "丽水市": "0578"}
POST = {"杭州市": "310", "宁波市": "315", "温州市": "325", "嘉兴市": "314", "湖州市": "313", "绍兴市": "312",
        "金华市": "321", "衢州市": "324", "舟山市": "316", "台州市": "318", "丽水市": "323"}
BRANDS = ("恒达 华立 正泰 天能 海天 远东 金盾 新光 永强 东方 宏图 鑫源 瑞丰 长城 万向 富春 钱江 之江 明珠 德力 "
          "安信 华茂 中通 博远 创新 兴业 联合 卓越 精工 飞跃 盛泰 嘉和 宝丰 申达 亚太 凯达 美华 星辰 环宇 东海").split()
INDUSTRIES = [("机械制造", "数控机床", "QMS"), ("电器", "低压断路器", "CCC"), ("电子科技", "开关电源", "CCC"),
              ("汽车零部件", "汽车制动器", "QMS"), ("纺织", "化纤面料", "EMS"), ("食品", "速冻食品", "FSMS"),
              ("化工", "涂料", "OHSMS"), ("建材", "预拌混凝土", "QMS"), ("家具", "办公家具", "EMS")]
LABEL = {"QMS": "质量管理体系", "EMS": "环境管理体系", "OHSMS": "职业健康安全管理体系", "FSMS": "食品安全管理体系",
         "CCC": "强制性产品认证"}
STD = {"QMS": "GB/T 19001-2008", "EMS": "GB/T 24001-2004", "OHSMS": "GB/T 28001-2001", "FSMS": "GB/T 22000-2006",
       "CCC": "CNCA-01C-010:2007"}
BODY_WORDS = "华信 正言 天衡 中正 东海 方圆 联信 恒信 世标 新世纪 兴原 中鉴 赛宝 泰尔 万泰 北联 长城 挪亚 中环 大陆".split()
DEADLINE_SELF, DEADLINE_CITY = "2009-08-31", "2009-10-31"
QUOTA = (3, 5)


def t(tag, text):
    return "<%s>%s</%s>" % (tag, escape(text), tag)


class File:
    """A record written line by line: the line of what was written last."""

    def __init__(self, name):
        self.name, self.lines = name, ['<?xml version="1.0" encoding="UTF-8"?>']

    def add(self, text):
        self.lines.append(text)
        return len(self.lines)

    def write(self, folder):
        with open(os.path.join(folder, self.name), "w", encoding="utf-8") as f:
            f.write("\n".join(self.lines) + "\n")


class Campaign:
    def __init__(self, r, n_bodies, n_enterprises, n_nominees):
        self.r = r
        self.bodies = []
        words = r.sample(BODY_WORDS, len(BODY_WORDS))
        for i in range(n_bodies):
            word = words[i % len(words)] + ("" if i < len(words) else str(i // len(words) + 1))
            self.bodies.append({"name": "%s认证有限公司" % word, "approval": "CNCA-R-%d-%03d" % (2001 + i % 8, i + 1),
                                "enterprises": [], "nominees": [], "self_check": True, "date": "2009-08-28"})
        self.names = set()
        serial = 0
        for b in self.bodies:
            for _ in range(n_enterprises):
                serial += 1
                b["enterprises"].append(self.enterprise(serial))
            b["nominees"] = [dict(e) for e in r.sample(b["enterprises"], n_nominees)]
        self.serial = serial
        self.violations = {c: [] for c in CITY_ORDER}
        self.city_date = {c: "2009-10-30" for c in CITY_ORDER}
        self.extra_rows = {}   # body index -> rows added to its self-check
        self.unknown = []      # records of bodies not on the roster: (kind, name, approval, enterprises)
        self.public = []       # entries of the public list

    def fresh_name(self, city, industry):
        while True:
            name = "%s%s%s%s有限公司" % (city[:-1], self.r.choice(BRANDS), self.r.choice(BRANDS), industry)
            if name not in self.names and name.replace("有限公司", "有限责任公司") not in self.names:
                self.names.add(name)
                return name

    def enterprise(self, serial):
        r = self.r
        city = r.choice(CITY_ORDER)
        industry, product, ctype = r.choice(INDUSTRIES)
        year = r.randint(2007, 2009)
        return {"name": self.fresh_name(city, industry), "city": city, "county": r.choice(CITIES[city]),
                "product": product, "type": ctype, "cert": "%02d%02d%s%06dR1M" % (serial % 97, year % 100, ctype[0], serial),
                "issued": "%d-%02d-%02d" % (year, r.randint(1, 12), r.randint(1, 28)),
                "expires": "%d-%02d-%02d" % (year + 3, r.randint(1, 12), r.randint(1, 28)),
                "status": "valid", "result": r.choice(["pass", "pass", "rectified"])}


# ------------------------------------------------------------ the writers

def write_campaign(c, folder, roster_lines):
    f = File("campaign.xml")
    f.add('<campaign year="2009">')
    f.add("  " + t("notice", "浙质评发〔2009〕195号"))
    f.add("  " + t("issuer", "浙江省质量技术监督局"))
    f.add('  <deadline for="self-check">%s</deadline>' % DEADLINE_SELF)
    f.add('  <deadline for="inspection-report">%s</deadline>' % DEADLINE_CITY)
    f.add('  <nominations min="%d" max="%d"/>' % QUOTA)
    f.add("  <bodies>")
    for b in c.bodies:
        roster_lines[b["name"]] = f.add('    <body approval-no="%s">%s</body>' % (b["approval"], escape(b["name"])))
    f.add("  </bodies>")
    f.add("  <cities>")
    for city in CITY_ORDER:
        roster_lines[city] = f.add("    " + t("city", city))
    f.add("  </cities>")
    f.add("</campaign>")
    f.write(folder)


def write_self_check(folder, name, body, approval, date, rows):
    f = File(name)
    f.add('<self-check year="2009">')
    f.add("  <body>")
    where = {"body": f.add("    " + t("name", body))}
    f.add("    " + t("approval-no", approval))
    f.add("    " + t("address", "杭州市西湖区文三路100号"))
    f.add("    " + t("contact", "李华"))
    f.add("    " + t("phone", "0571-80000001"))
    f.add("  </body>")
    f.add('  <period from="2009-05-20" to="%s"/>' % date)
    f.add("  " + t("report", "按照省局的统一部署开展了自查。"))
    f.add("  <enterprises>")
    for i, e in enumerate(rows, 1):
        where[e["name"], e["cert"]] = f.add('    <enterprise id="E%05d">' % i)
        for tag, key in (("name", "name"), ("region", "city"), ("county", "county")):
            f.add("      " + t(tag, e[key]))
        f.add("      " + t("address", "%s%s工业大道%d号" % (e["city"], e["county"], i)))
        f.add("      " + t("postcode", POST[e["city"]] + "001"))
        f.add("      " + t("products", e["product"]))
        f.add('      <certificate no="%s" type="%s" standard="%s" issued="%s" expires="%s" status="%s"/>'
              % (e["cert"], e["type"], STD[e["type"]], e["issued"], e["expires"], e["status"]))
        f.add('      <check date="2009-08-01" result="%s">' % e["result"])
        f.add("        " + t("findings", "未发现不符合项。"))
        f.add("        " + t("actions", "无需整改。"))
        f.add("      </check>")
        f.add("    </enterprise>")
    f.add("  </enterprises>")
    f.add("  " + t("signed-by", body))
    where["date"] = f.add("  " + t("date", date))
    f.add("</self-check>")
    f.write(folder)
    return where


def write_nominations(folder, name, body, nominees):
    f = File(name)
    where = {"root": f.add('<nominations year="2009">')}
    where["nominator"] = f.add("  " + t("nominator", body))
    for e in nominees:
        where[e["name"]] = f.add("  <nomination>")
        for tag, val in (("enterprise", e.get("written", e["name"])), ("region", e["city"]),
                         ("address", "%s%s工业大道1号" % (e["city"], e["county"])), ("postcode", POST[e["city"]] + "001"),
                         ("products", e["product"]), ("contact", "张伟"), ("phone", AREA[e["city"]] + "-88000000"),
                         ("certification", "%s认证（%s）" % (LABEL[e["type"]], STD[e["type"]]) if e["type"] != "CCC"
                          else "强制性产品认证（%s）" % STD["CCC"]),
                         ("valid-until", e["expires"]), ("reason", "质量管理体系运行持续有效。"),
                         ("filled-by", "李华"), ("reviewed-by", "陈明"), ("filled-on", "2009-08-28")):
            f.add("    " + t(tag, val))
        f.add("  </nomination>")
    f.add("</nominations>")
    f.write(folder)
    return where


def write_report(folder, name, city, date, violations):
    f = File(name)
    f.add('<inspection-report year="2009">')
    f.add("  " + t("issuer", city + "质量技术监督局"))
    f.add("  " + t("doc-number", "质评〔2009〕%d号" % (CITY_ORDER.index(city) + 1)))
    f.add("  " + t("title", "关于2009年度认证监督检查情况的报告"))
    f.add("  " + t("recipients", "省局合格评定监管处："))
    f.add("  " + t("body", "现将认证监督检查情况报告如下。"))
    f.add("  <violations>")
    where = {}
    for v in violations:
        where[v["name"]] = f.add("    <violation>")
        f.add("      " + t("enterprise", v.get("written", v["name"])))
        f.add("      " + t("county", v["county"]))
        f.add('      <certificate no="%s" type="%s"/>' % (v["cert"], v["type"]))
        f.add("      " + t("product", v["product"]))
        f.add("      " + t("problem", "产品关键元器件与型式试验报告不一致"))
        f.add("      " + t("action", v["action"]))
        f.add("    </violation>")
    f.add("  </violations>")
    f.add("  " + t("signature", city + "质量技术监督局"))
    where["date"] = f.add("  " + t("date", date))
    f.add("</inspection-report>")
    f.write(folder)
    return where


def write_public_list(folder, entries):
    f = File("public-list.xml")
    f.add('<public-list kind="demonstration" year="2009">')
    f.add("  " + t("issuer", "浙江省质量技术监督局"))
    f.add("  " + t("doc-number", "浙质评公告〔2009〕12号"))
    f.add("  " + t("title", "关于公布2009年度浙江省认证示范企业名单的公告"))
    f.add("  " + t("body", "现将认证示范企业名单予以公布。"))
    f.add("  <entries>")
    where = {}
    for e, body in entries:
        where[e["name"]] = f.add("    <entry>")
        f.add("      " + t("enterprise", e["name"]))
        f.add("      " + t("region", e["city"]))
        f.add("      " + t("certification", LABEL[e["type"]]))
        f.add("      " + t("nominator", body))
        f.add("    </entry>")
    f.add("  </entries>")
    f.add("  " + t("signature", "浙江省质量技术监督局"))
    f.add("  " + t("date", "2009-11-30"))
    f.add("</public-list>")
    f.write(folder)
    return where


# ------------------------------------------------------------- planting

def widen(name):
    """The name as a careless clerk types it: a space and full-width
    letters where it has Latin ones, an ideographic space in the middle."""
    half = len(name) // 2
    return name[:half] + "\u3000" + name[half:] + " "


def plant(c, r):
    """Choose where each conflict goes; returns the plan the writers follow."""
    n = len(c.bodies)
    order = r.sample(range(n), n)
    plan = {"no_self_check": order[0], "late": order[1], "quota_low": order[2], "quota_high": order[3]}
    a, b = sorted(order[4:6])  # b nominates what a does: a comes first in the roster
    plan["twice"] = (a, b)
    free_bodies = order[6:]
    # nominee conflicts: distinct nominees of bodies with nothing else planted
    pool = [(bi, k) for bi in free_bodies for k in range(len(c.bodies[bi]["nominees"]))]
    picks = r.sample(pool, 13)
    for kind, pick in zip(["violator", "suspended", "withdrawn", "cancelled", "expired", "not_conforming", "cert", "region",
                           "decoy_wide", "decoy_llc", "decoy_other_type", "decoy_llc_other_cert", "clean_public"], picks):
        plan[kind] = pick
    # the missing city: not the planted violator's (its report must be there)
    violator_city = c.bodies[plan["violator"][0]]["nominees"][plan["violator"][1]]["city"]
    plan["city_missing"], plan["city_late"] = r.sample([x for x in CITY_ORDER if x != violator_city], 2)
    return plan


def build(folder, n_bodies, n_enterprises, n_nominees, seed, planting, public_list):
    r = random.Random(seed)
    c = Campaign(r, n_bodies, n_enterprises, n_nominees)
    planted = []
    plan = plant(c, r) if planting else {}

    def nominee(key):
        bi, k = plan[key]
        return bi, c.bodies[bi]["nominees"][k]

    def other_body(bi):
        """A body other than bi that hands in a self-check."""
        return next(j for j in range(bi + 1, bi + n_bodies) if j % n_bodies != plan["no_self_check"]) % n_bodies

    def row_of(bi, e):
        return next(x for x in c.bodies[bi]["enterprises"] if x["name"] == e["name"])

    if planting:
        bi, e = nominee("violator")
        c.violations[e["city"]].append(dict(e, action="移送认证机构撤销证书", written=widen(e["name"])))
        for key, status, result in (("suspended", "suspended", "suspended"), ("withdrawn", "withdrawn", "withdrawn"),
                                    ("cancelled", "cancelled", "pass"), ("expired", "expired", "pass"),
                                    ("not_conforming", "valid", "withdrawn")):
            bi, e = nominee(key)
            row = row_of(bi, e)
            row["status"], row["result"] = status, result
        bi, e = nominee("cert")
        c.extra_rows.setdefault(other_body(bi), []).append(dict(e, cert=e["cert"][:-3] + "R9M"))
        bi, e = nominee("region")
        e["region_written"] = next(x for x in CITY_ORDER if x != e["city"])
        # decoys: nothing to find
        bi, e = nominee("decoy_wide")
        e["written"] = widen(e["name"])
        bi, e = nominee("decoy_llc")
        e["written"] = e["name"].replace("有限公司", "有限责任公司")
        bi, e = nominee("decoy_other_type")
        other_type = next(t for t in LABEL if t != e["type"])
        c.extra_rows.setdefault(other_body(bi), []).append(
            dict(e, type=other_type, cert="X" + e["cert"], status="suspended", result="suspended"))
        bi, e = nominee("decoy_llc_other_cert")
        c.extra_rows.setdefault(other_body(bi), []).append(
            dict(e, name=e["name"].replace("有限公司", "有限责任公司"), cert="Y" + e["cert"], status="withdrawn",
                 result="withdrawn"))
        # two bodies, one enterprise: b's first nominee becomes a's first
        a, b = plan["twice"]
        c.bodies[b]["nominees"][0] = dict(c.bodies[a]["nominees"][0])
        c.bodies[plan["late"]]["date"] = "2009-09-07"
        c.bodies[plan["no_self_check"]]["self_check"] = False
        low, high = c.bodies[plan["quota_low"]], c.bodies[plan["quota_high"]]
        low["nominees"] = low["nominees"][:QUOTA[0] - 1]
        spare = [e for e in high["enterprises"] if e["name"] not in {x["name"] for x in high["nominees"]}]
        high["nominees"] = high["nominees"] + [dict(x) for x in spare[:QUOTA[1] + 1 - len(high["nominees"])]]
        c.city_date[plan["city_late"]] = "2009-11-05"
        # a body not on the roster, with a self-check and nominations of its own
        c.serial += 1
        stranger = [c.enterprise(c.serial + i) for i in range(4)]
        c.serial += 4
        c.unknown = ("天下第一认证有限公司", "CNCA-R-2009-999", stranger)

    # the cities' reports: a violator or two each, none of them nominated
    # (once the planting has chosen the nominees)
    nominated = {e["name"] for b in c.bodies for e in b["nominees"]}
    for b in c.bodies:
        for e in b["enterprises"]:
            if e["name"] not in nominated and r.random() < 0.05:
                c.violations[e["city"]].append(dict(e, action=r.choice(["立案查处", "责令整改", "移送认证机构撤销证书"])))

    roster_lines = {}
    write_campaign(c, folder, roster_lines)
    self_where, nom_where = {}, {}
    for i, b in enumerate(c.bodies):
        if b["self_check"]:
            self_where[i] = write_self_check(folder, "selfcheck-%03d.xml" % (i + 1), b["name"], b["approval"], b["date"],
                                             b["enterprises"] + c.extra_rows.get(i, []))
        nominees = [dict(e, city=e.get("region_written", e["city"])) for e in b["nominees"]]
        nom_where[i] = write_nominations(folder, "nominations-%03d.xml" % (i + 1), b["name"], nominees)
    city_where = {}
    for k, city in enumerate(CITY_ORDER):
        if city != plan.get("city_missing"):
            city_where[city] = write_report(folder, "inspection-%02d.xml" % (k + 1), city, c.city_date[city],
                                            c.violations[city])

    def mark(kind, file, line, name, blocking):
        planted.append({"kind": kind, "file": file, "line": line, "name": name, "blocking": blocking})

    if planting:
        for kind in ("violator", "suspended", "withdrawn", "cancelled", "expired", "not_conforming", "cert", "region"):
            bi, e = nominee(kind)
            mark(kind, "nominations-%03d.xml" % (bi + 1), nom_where[bi][e["name"]], e["name"], True)
        a, b = plan["twice"]
        e = c.bodies[b]["nominees"][0]
        mark("twice", "nominations-%03d.xml" % (b + 1), nom_where[b][e["name"]], e["name"], True)
        bi = plan["no_self_check"]
        mark("no_self_check", "campaign.xml", roster_lines[c.bodies[bi]["name"]], c.bodies[bi]["name"], False)
        bi = plan["late"]
        mark("late", "selfcheck-%03d.xml" % (bi + 1), self_where[bi]["date"], c.bodies[bi]["name"], False)
        for kind in ("quota_low", "quota_high"):
            bi = plan[kind]
            mark(kind, "nominations-%03d.xml" % (bi + 1), nom_where[bi]["root"], c.bodies[bi]["name"], False)
        city = plan["city_missing"]
        mark("city_missing", "campaign.xml", roster_lines[city], city, False)
        city = plan["city_late"]
        mark("city_late", "inspection-%02d.xml" % (CITY_ORDER.index(city) + 1), city_where[city]["date"], city, False)
        name, approval, stranger = c.unknown
        w = write_self_check(folder, "selfcheck-stranger.xml", name, approval, "2009-08-20", stranger)
        mark("unknown_self_check", "selfcheck-stranger.xml", w["body"], name, False)
        w = write_nominations(folder, "nominations-stranger.xml", name, stranger[:3])
        mark("unknown_nominations", "nominations-stranger.xml", w["nominator"], name, True)
        if public_list:
            entries = []
            bi, e = nominee("violator")
            entries.append((e, c.bodies[bi]["name"]))
            bi, e = nominee("clean_public")
            entries.append((e, c.bodies[bi]["name"]))
            outsider = next(v for city in CITY_ORDER for v in c.violations[city]
                            if v["name"] != nominee("violator")[1]["name"] and city != plan["city_missing"])
            entries.append((outsider, c.bodies[0]["name"]))
            r.shuffle(entries)
            w = write_public_list(folder, entries)
            bi, e = nominee("violator")
            mark("public_excluded", "public-list.xml", w[e["name"]], e["name"], True)
            mark("public_violator", "public-list.xml", w[outsider["name"]], outsider["name"], True)
    with open(os.path.join(folder, "planted.json"), "w", encoding="utf-8") as f:
        json.dump(planted, f, ensure_ascii=False, indent=1)
    return planted


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--bodies", type=int, default=10)
    p.add_argument("--enterprises", type=int, default=40)
    p.add_argument("--nominees", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--plant", action="store_true")
    p.add_argument("--no-public-list", action="store_true")
    a = p.parse_args()
    if a.plant and a.bodies < 9:
        p.error("--plant needs --bodies 9 or more (a body for each conflict of the roster)")
    os.makedirs(a.dir, exist_ok=True)
    build(a.dir, a.bodies, a.enterprises, a.nominees, a.seed, a.plant, not a.no_public_list)


if __name__ == "__main__":
    main()
