"""Writes a deterministic spreadsheet of N experts for bulk intake, as the base's staff keep them:
Chinese headers, skills by their Chinese or English labels with levels, languages by name.

    python3 tests/tools/intake_csv.py 10000 > experts.csv
    python3 tests/tools/intake_csv.py 10000 --gb18030 > experts-gbk.csv
"""
import csv, io, json, pathlib, random, sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rng = random.Random(7)
concepts = [json.loads(l) for l in (ROOT / "seed" / "taxonomy.jsonl").read_text().splitlines() if l.strip()]
skills = [c for c in concepts if c["kind"] == "skill"]
sectors = [c for c in concepts if c["kind"] == "sector" and "." not in c["id"]]
places = [("德国", "Munich", "Europe/Berlin"), ("FR", "Lyon", "Europe/Paris"), ("英国", "Cambridge", "Europe/London"),
          ("US", "Boston", "America/New_York"), ("日本", "Tokyo", "Asia/Tokyo"), ("新加坡", "Singapore", "Asia/Singapore")]
orgs = ["慕尼黑工业大学", "INSA Lyon", "University of Cambridge", "MIT", "東京大学", "NUS", "Fraunhofer IWS", "CNRS"]
modes = ["远程", "咨询", "联合研发", "兼职", "技术转移"]
surnames = "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao".split()
given = "Wei Fang Na Min Jing Lei Jun Yan Tao Ming Hui Xin Yu Ting Hao Bo Qiang Li Chao Yi".split()

out = io.StringIO()
w = csv.writer(out)
w.writerow(["姓名", "邮箱", "国家", "城市", "时区", "单位", "职称", "语言", "技能", "领域", "合作方式", "每月小时"])
for i in range(n):
    country, city, tz = rng.choice(places)
    picked = rng.sample(skills, rng.randint(3, 8))
    label = lambda c: c["labels"]["zh"] if rng.random() < 0.5 else c["labels"]["en"]
    w.writerow([
        f"{rng.choice(surnames)} {rng.choice(given)} {i}",
        f"expert{i}@example.org",
        country, city, tz, rng.choice(orgs), "研究员",
        "中文:母语; 英语:流利",
        "；".join(f"{label(c)}:{rng.randint(1, 5)}" for c in picked),
        label(rng.choice(sectors)),
        "、".join(rng.sample(modes, 2)),
        rng.choice([8, 12, 16, 20, 40]),
    ])
data = out.getvalue()
sys.stdout.buffer.write(data.encode("gb18030") if "--gb18030" in sys.argv else data.encode("utf-8"))
