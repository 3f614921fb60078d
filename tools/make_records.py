#!/usr/bin/env python3
"""Write synthetic campaign records in the formats of shared/records/
(tests/records/ holds copies of them).

The project's own copy of the team's generator (shared/tools/make_records.py):
the tests and the benchmark use this one, so that a clone of the project
alone needs nothing beside it.  Deterministic for a given --seed, so
benchmarks and tests are repeatable; written in UTF-8, as the records
declare, whatever the locale.

  make_records.py selfcheck --enterprises 38000 > big-selfcheck.xml
  make_records.py nominations --count 500 > many-nominations.xml
  make_records.py demo-list --count 300 > demo-list.xml
  make_records.py inspection --count 200 > inspection.xml
"""
import argparse, random, sys
from xml.sax.saxutils import escape

CITIES = {
    "杭州市": ["上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "富阳区", "桐庐县", "淳安县", "建德市"],
    "宁波市": ["海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市", "象山县", "宁海县"],
    "温州市": ["鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "永嘉县", "平阳县", "苍南县", "文成县"],
    "嘉兴市": ["南湖区", "秀洲区", "海宁市", "平湖市", "桐乡市", "嘉善县", "海盐县"],
    "湖州市": ["吴兴区", "南浔区", "德清县", "长兴县", "安吉县"],
    "绍兴市": ["越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市", "新昌县"],
    "金华市": ["婺城区", "金东区", "兰溪市", "义乌市", "东阳市", "永康市", "武义县", "浦江县"],
    "衢州市": ["柯城区", "衢江区", "江山市", "常山县", "开化县", "龙游县"],
    "舟山市": ["定海区", "普陀区", "岱山县", "嵊泗县"],
    "台州市": ["椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县"],
    "丽水市": ["莲都区", "龙泉市", "青田县", "缙云县", "遂昌县", "松阳县", "云和县", "庆元县"],
}
AREA_CODE = {"杭州市": "0571", "宁波市": "0574", "温州市": "0577", "嘉兴市": "0573", "湖州市": "0572",
             "绍兴市": "0575", "金华市": "0579", "衢州市": "0570", "舟山市": "0580", "台州市": "0576", "丽水市": "0578"}
POSTCODE = {"杭州市": "310", "宁波市": "315", "温州市": "325", "嘉兴市": "314", "湖州市": "313",
            "绍兴市": "312", "金华市": "321", "衢州市": "324", "舟山市": "316", "台州市": "318", "丽水市": "323"}
BRANDS = "恒达 华立 正泰 天能 海天 远东 金盾 新光 永强 东方 宏图 鑫源 瑞丰 长城 万向 富春 钱江 之江 东海 明珠 德力 安信 华茂 中通 博远 创新 兴业 联合 卓越 精工 飞跃 盛泰 嘉和 宝丰 申达 亚太 凯达 美华 星辰 环宇".split()
INDUSTRIES = [
    ("机械制造", "数控机床、液压机械及零部件", "QMS"),
    ("电器", "低压断路器、交流接触器", "CCC"),
    ("电子科技", "开关电源、LED驱动电源", "CCC"),
    ("汽车零部件", "汽车制动器、转向拉杆", "QMS"),
    ("纺织", "涤纶长丝、化纤面料", "EMS"),
    ("食品", "速冻食品、调味品", "FSMS"),
    ("化工", "涂料、胶粘剂", "OHSMS"),
    ("建材", "预拌混凝土、加气砌块", "QMS"),
    ("五金工具", "电动工具、手动工具", "CCC"),
    ("家具", "办公家具、实木家具", "EMS"),
    ("电线电缆", "聚氯乙烯绝缘电线电缆", "CCC"),
    ("阀门", "工业阀门、水暖阀门", "QMS"),
]
CERT_STD = {
    "QMS": "GB/T 19001-2008", "EMS": "GB/T 24001-2004", "OHSMS": "GB/T 28001-2001",
    "FSMS": "GB/T 22000-2006", "CCC": "CNCA-01C-010:2007",
}
ROADS = "文三路 体育场路 解放路 中山路 人民路 工业大道 科技大道 创业路 兴业街 滨海大道 环城北路 开发区大道".split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤".replace(" ", "")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红林海燕鹏飞斌波宇浩凯文辉晨阳丹慧颖琳健"
FINDINGS = [
    "管理评审输入不完整，未包含顾客满意度信息。",
    "部分检验记录未签字确认，记录的可追溯性不足。",
    "关键工序作业指导书版本未及时更新。",
    "内部审核未覆盖全部部门，审核员独立性不足。",
    "计量器具未按期检定，个别量具超期使用。",
    "不合格品处置记录不完整，未分析原因。",
    "认证标志使用不规范，在未获证产品上使用了认证标志。",
    "产品关键元器件与型式试验报告不一致。",
    "未发现不符合项。",
]
ACTIONS = [
    "已指导企业补充管理评审输入，重新组织管理评审。",
    "已要求企业完善记录控制程序并对相关人员进行培训。",
    "企业已更新作业指导书并组织宣贯。",
    "已协助企业调整内审计划，增加审核员培训。",
    "企业已送检全部计量器具，建立检定台账。",
    "已要求企业按程序评审不合格品并落实纠正措施。",
    "已责令企业停止使用认证标志，收回已发放标志。",
    "已暂停相关产品认证证书，要求企业整改后申请恢复。",
    "无需整改。",
]
RESULTS = ["pass", "pass", "pass", "pass", "rectified", "rectified", "suspended", "withdrawn"]


def person(r):
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2))))


def enterprise(r, i):
    city = r.choice(sorted(CITIES))
    county = r.choice(CITIES[city])
    ind, products, ctype = r.choice(INDUSTRIES)
    name = f"{city[:-1]}{r.choice(BRANDS)}{ind}有限公司"
    if r.random() < 0.1:
        name = f"浙江{r.choice(BRANDS)}{r.choice(BRANDS)}{ind}股份有限公司"
    year = r.randint(2007, 2009)
    return {
        "id": f"E{i:05d}",
        "name": name, "city": city, "county": county,
        "address": f"{city}{county}{r.choice(ROADS)}{r.randint(1, 999)}号",
        "postcode": POSTCODE[city] + f"{r.randint(0, 999):03d}",
        "products": products, "type": ctype, "standard": CERT_STD[ctype],
        "cert_no": f"{r.randint(10, 99):02d}{year % 100:02d}{ctype[0]}{r.randint(10000, 99999)}R{r.randint(0, 3)}M",
        "issued": f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        "expires": f"{year + 3}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        "contact": person(r), "phone": f"{AREA_CODE[city]}-8{r.randint(1000000, 9999999)}",
    }


def t(tag, text, ind="      "):
    return f"{ind}<{tag}>{escape(text)}</{tag}>\n"


def selfcheck(r, n, out):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<self-check year="2009">\n')
    out.write("  <body>\n" + t("name", "东海质量认证有限公司", "    ") + t("approval-no", "CNCA-R-2003-099", "    ")
              + t("address", "杭州市西湖区文三路100号", "    ") + t("contact", "李华", "    ") + t("phone", "0571-80000001", "    ") + "  </body>\n")
    out.write('  <period from="2009-05-20" to="2009-08-28"/>\n')
    out.write('  <report format="markdown"><![CDATA[\n' + REPORT.strip() + "\n]]></report>\n")
    out.write("  <enterprises>\n")
    for i in range(1, n + 1):
        e = enterprise(r, i)
        k = r.randrange(len(FINDINGS))
        res = "pass" if k == len(FINDINGS) - 1 else r.choice(RESULTS[4:] if k >= 6 else RESULTS[:6])
        out.write(f'    <enterprise id="{e["id"]}">\n')
        for tag, key in (("name", "name"), ("region", "city"), ("county", "county"), ("address", "address"),
                         ("postcode", "postcode"), ("products", "products")):
            out.write(t(tag, e[key]))
        out.write(f'      <certificate no="{e["cert_no"]}" type="{e["type"]}" standard="{e["standard"]}" '
                  f'issued="{e["issued"]}" expires="{e["expires"]}" status="{"valid" if res in ("pass", "rectified") else res}"/>\n')
        out.write(f'      <check date="2009-{r.randint(6, 8):02d}-{r.randint(1, 28):02d}" result="{res}">\n')
        out.write(t("findings", FINDINGS[k], "        ") + t("actions", ACTIONS[k], "        "))
        out.write("      </check>\n    </enterprise>\n")
    out.write("  </enterprises>\n")
    out.write("  <signed-by>东海质量认证有限公司</signed-by>\n  <date>2009-08-28</date>\n</self-check>\n")


REPORT = """
# 一、检查的基本情况

按照省局的统一部署，我公司于2009年5月下旬成立自查工作领导小组，抽调审核员组成检查组，结合监督审核对在浙江省内认证的获证企业逐一开展认证有效性检查。检查覆盖管理体系运行、法律法规执行、产品质量安全控制、**认证证书和标志使用**等方面。

# 二、存在的主要问题

检查中发现的问题主要集中在以下方面：

- 部分企业管理评审和内部审核流于形式；
- 个别企业计量器具未按期检定；
- 少数强制性认证产品的关键元器件与型式试验样品不一致。

# 三、整改的具体措施

对发现的问题，检查组现场向企业说明原因，指导企业制定整改方案，并在30日内跟踪验证整改效果。对整改后仍不符合要求的企业，按规定暂停或撤销其认证证书。

# 四、帮扶企业的方法和效果

我公司采取“一企一策”的帮扶方式，组织专家为企业开展免费培训，帮助企业完善质量管理体系。

# 五、对认证行政监管的意见或者建议

建议建立认证机构与各市局之间的监督抽查信息共享机制，及时通报获证企业产品质量监督抽查结果。
"""

REASONS = [
    "该企业自获证以来，质量管理体系运行持续有效，近三年产品监督抽查合格率100%。企业建立了完善的质量追溯制度，**积极开展**质量改进活动。",
    "企业领导高度重视认证工作，将管理体系要求融入日常经营管理；\n\n- 近三年未发生质量安全事故；\n- 顾客满意度连续三年保持在95%以上；\n- 获评市级“守合同重信用”企业。",
    "该企业严格执行强制性产品认证实施规则，关键元器件与型式试验样品保持一致，认证证书和标志使用规范，在行业内起到了良好的示范作用。",
]


def nominations(r, n, out):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<nominations year="2009">\n')
    out.write(t("nominator", "东海质量认证有限公司", "  "))
    for i in range(1, n + 1):
        e = enterprise(r, i)
        out.write("  <nomination>\n")
        for tag, val in (("enterprise", e["name"]), ("region", e["city"]), ("address", e["address"]),
                         ("postcode", e["postcode"]), ("products", e["products"]), ("contact", e["contact"]),
                         ("phone", e["phone"]), ("certification", {"QMS": "质量管理体系认证", "EMS": "环境管理体系认证",
                          "OHSMS": "职业健康安全管理体系认证", "FSMS": "食品安全管理体系认证", "CCC": "强制性产品认证"}[e["type"]]
                          + f"（{e['standard']}）"), ("valid-until", e["expires"])):
            out.write(t(tag, val, "    "))
        reason = REASONS[2] if e["type"] == "CCC" else r.choice(REASONS[:2])
        out.write('    <reason format="markdown"><![CDATA[' + reason + "]]></reason>\n")
        out.write(t("filled-by", "李华", "    ") + t("reviewed-by", "陈明", "    ") + t("filled-on", "2009-08-28", "    "))
        out.write("  </nomination>\n")
    out.write("</nominations>\n")


def demo_list(r, n, out):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<public-list kind="demonstration" year="2009">\n')
    out.write(t("issuer", "浙江省质量技术监督局", "  ") + t("doc-number", "浙质评公告〔2009〕12号", "  "))
    out.write(t("title", "关于公布2009年度浙江省认证示范企业名单的公告", "  "))
    out.write('  <body format="markdown"><![CDATA[\n根据《关于开展“百家认证机构自律、万家认证企业帮扶”行动的通知》（浙质评发〔2009〕195号）要求，经认证机构推荐、各市局审核和社会公示，现将2009年度浙江省认证示范企业名单予以公布（名单附后）。\n\n希望示范企业珍惜荣誉，持续改进，充分发挥示范带动作用。\n]]></body>\n')
    out.write("  <entries>\n")
    bodies = ["东海质量认证有限公司", "华信认证中心有限公司", "正言质量认证有限公司", "天衡认证有限公司"]
    for i in range(1, n + 1):
        e = enterprise(r, i)
        out.write("    <entry>\n" + t("enterprise", e["name"]) + t("region", e["city"]) +
                  t("certification", {"QMS": "质量管理体系", "EMS": "环境管理体系", "OHSMS": "职业健康安全管理体系",
                                      "FSMS": "食品安全管理体系", "CCC": "强制性产品认证"}[e["type"]]) +
                  t("nominator", r.choice(bodies)) + "    </entry>\n")
    out.write("  </entries>\n")
    out.write(t("signature", "浙江省质量技术监督局", "  ") + t("date", "2009-11-30", "  ") + "</public-list>\n")


def inspection(r, n, out):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<inspection-report year="2009">\n')
    out.write(t("issuer", "宁波市质量技术监督局", "  ") + t("doc-number", "甬质评〔2009〕58号", "  "))
    out.write(t("title", "关于2009年度认证监督检查情况的报告", "  ") + t("recipients", "省局合格评定监管处：", "  "))
    out.write('  <body format="markdown"><![CDATA[\n按照省局部署，我局于9月初至10月底组织各县（市、区）局对辖区内获证企业开展了认证监督检查。现将有关情况报告如下：\n\n# 一、检查的基本情况\n\n本次共检查获证企业' + str(n * 7) + '家，涉及认证机构31家。\n\n# 二、发现的主要问题\n\n部分企业存在证后产品一致性不符合要求、超范围使用认证标志等问题，涉及严重违法的企业名单见附表。\n\n# 三、下一步工作\n\n我局将继续加强认证执法监管，对违法企业依法查处。\n]]></body>\n')
    out.write("  <violations>\n")
    problems = ["产品关键元器件与型式试验报告不一致", "伪造认证标志", "证书暂停期间继续出厂销售", "超出认证范围使用认证标志", "监督抽查产品质量严重不合格"]
    for i in range(1, n + 1):
        e = enterprise(r, i)
        out.write(f'    <violation>\n' + t("enterprise", e["name"]) + t("county", e["county"]) +
                  f'      <certificate no="{e["cert_no"]}" type="CCC"/>\n' + t("product", e["products"].split("、")[0]) +
                  t("problem", r.choice(problems)) + t("action", r.choice(["立案查处", "责令整改", "移送认证机构撤销证书"])) + "    </violation>\n")
    out.write("  </violations>\n")
    out.write(t("signature", "宁波市质量技术监督局", "  ") + t("date", "2009-10-30", "  ") + "</inspection-report>\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["selfcheck", "nominations", "demo-list", "inspection"])
    p.add_argument("--enterprises", "--count", type=int, default=12, dest="n")
    p.add_argument("--seed", type=int, default=2009)
    a = p.parse_args()
    r = random.Random(a.seed)
    sys.stdout.reconfigure(encoding="utf-8")
    {"selfcheck": selfcheck, "nominations": nominations, "demo-list": demo_list, "inspection": inspection}[a.kind](r, a.n, sys.stdout)


if __name__ == "__main__":
    main()
