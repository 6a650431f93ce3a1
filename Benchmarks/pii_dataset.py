"""A labelled PII test set made with Faker (English and Chinese locales), for
Benchmarks/run_pii.sh.

Run: /tmp/ref/bin/python Benchmarks/pii_dataset.py OUT.jsonl [--seed 20261203] [--english 1200] [--chinese 600]
Each line: {"text", "locale", "entities": [{"type", "start", "end", "value", "subtype"}]}, offsets in
code points (Python string indices). Texts join 1–3 sentences drawn from templates with the context
people write around each value, plus sentences with look-alikes that are not personal data (order and
tracking numbers, prices, versions, dates that are not birth dates), so precision is measured too.
Only DATE_TIME values that are dates of birth are labelled (the task is finding personal data).
Faker quirks kept as they come: en_US phone numbers with extensions, JCB numbers anywhere in 35xx,
Maestro numbers with the made-up prefix 0604.
"""
import argparse
import json
import random

from faker import Faker

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--seed", type=int, default=20261203)
parser.add_argument("--english", type=int, default=1200)
parser.add_argument("--chinese", type=int, default=600)
args = parser.parse_args()

rng = random.Random(args.seed)
en = Faker("en_US")
zh = Faker("zh_CN")
de = Faker("de_DE")
Faker.seed(args.seed)
en.seed_instance(args.seed)
zh.seed_instance(args.seed + 1)
de.seed_instance(args.seed + 2)

CARD_TYPES = ["visa16", "visa13", "visa19", "mastercard", "amex", "discover", "diners", "jcb15", "jcb16", "maestro"]


def card():
    number = en.credit_card_number(card_type=rng.choice(CARD_TYPES))
    if len(number) == 16 and rng.random() < 0.4:
        sep = rng.choice([" ", "-"])
        number = sep.join(number[i:i + 4] for i in range(0, 16, 4))
    return number


def iban():
    value = (en if rng.random() < 0.5 else de).iban()
    if rng.random() < 0.4:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


def dob_en():
    d = en.date_of_birth(minimum_age=18, maximum_age=90)
    return rng.choice([d.isoformat(), d.strftime("%B %d, %Y").replace(" 0", " "), d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y")])


def dob_zh():
    d = zh.date_of_birth(minimum_age=18, maximum_age=90)
    return rng.choice([f"{d.year}年{d.month}月{d.day}日", d.isoformat()])


def other_date():
    d = en.date_between(start_date="-3y", end_date="+1y")
    return rng.choice([d.isoformat(), d.strftime("%B %d, %Y").replace(" 0", " "), d.strftime("%m/%d/%Y")])


def cn_mobile():
    n = zh.phone_number()
    r = rng.random()
    if r < 0.15:
        return "+86 " + n
    if r < 0.3:
        return f"{n[:3]} {n[3:7]} {n[7:]}"
    if r < 0.4:
        return f"{n[:3]}-{n[3:7]}-{n[7:]}"
    return n


def en_ip():
    return en.ipv4() if rng.random() < 0.7 else en.ipv6()


EN_VALUES = {
    "EMAIL_ADDRESS": en.email, "PHONE_NUMBER": en.phone_number, "CREDIT_CARD": card, "IBAN_CODE": iban, "US_SSN": en.ssn,
    "IP_ADDRESS": en_ip, "URL": lambda: rng.choice([en.url(), en.uri(), en.domain_name()]), "DATE_TIME": dob_en,
}
EN_TEMPLATES = {
    "EMAIL_ADDRESS": ["You can reach me at {} if anything changes.", "Please send the invoice to {}.", "Contact: {}",
                      "{} asked to be removed from the list."],
    "PHONE_NUMBER": ["Call me on {} after 5pm.", "My cell is {}.", "Phone: {}", "The front desk number is {}.",
                     "If the line drops, dial {} again."],
    "CREDIT_CARD": ["I paid with card {}, expiring 09/27.", "Card number: {}", "Please charge {} for the balance."],
    "IBAN_CODE": ["Transfer the deposit to IBAN {}.", "Our account: {}", "Refund to {} please."],
    "US_SSN": ["My social security number is {}.", "SSN: {}", "Employee SSN {} is on file."],
    "IP_ADDRESS": ["Login from {} was blocked.", "The server at {} is down.", "Client IP: {}"],
    "URL": ["More details at {}.", "Visit {} for the schedule.", "See {}"],
    "DATE_TIME": ["I was born on {}.", "DOB: {}", "Date of birth: {}", "Patient born {} in Ohio."],
}
EN_NEGATIVES = [
    lambda: f"Order #{rng.randint(10**8, 10**12)} shipped on {other_date()}.",
    lambda: f"The meeting is on {other_date()} at 10:30.",
    lambda: f"Version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)} fixed {rng.randint(2, 99)} bugs.",
    lambda: f"We sold {rng.randint(100, 99999)} units for ${rng.randint(1, 999)}.{rng.randint(10, 99)}.",
    lambda: f"Tracking number {rng.randint(10**13, 10**15)}.",
    lambda: f"Apple {other_date()} earnings call.",
    lambda: f"Room {rng.randint(100, 1999)}, building {rng.randint(1, 12)}.",
    lambda: f"Invoice {rng.randint(1000, 9999)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)} is overdue.",
]

ZH_VALUES = {
    "PHONE_NUMBER": cn_mobile, "CN_RESIDENT_ID": zh.ssn, "EMAIL_ADDRESS": zh.email, "DATE_TIME": dob_zh,
}
ZH_TEMPLATES = {
    "PHONE_NUMBER": ["我的手机号是{}，有事请联系。", "请拨打{}联系张先生。", "联系电话：{}", "客户留下了电话{}。", "收货人手机{}"],
    "CN_RESIDENT_ID": ["身份证号码：{}", "我的身份证号是{}，请核对。", "申请人证件号{}。", "居民身份证{}已登记。"],
    "EMAIL_ADDRESS": ["邮箱：{}", "请把简历发到{}。"],
    "DATE_TIME": ["出生日期：{}", "他于{}出生。", "生日：{}"],
}
ZH_NEGATIVES = [
    lambda: f"订单号{rng.randint(10**12, 10**15)}已发货。",
    lambda: f"会议定于{rng.randint(2023, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日举行。",
    lambda: f"价格为{rng.randint(10, 9999)}元。",
    lambda: f"房间号{rng.randint(100, 2999)}。",
    lambda: f"快递单号SF{rng.randint(10**11, 10**13)}。",
]


def make(locale, values, templates, negatives, joiner):
    parts, entities, offset = [], [], 0
    for k in range(rng.randint(1, 3)):
        if rng.random() < 0.25:
            sentence = rng.choice(negatives)()
            spans = []
        else:
            kind = rng.choice(list(templates))
            value = values[kind]()
            template = rng.choice(templates[kind])
            at = template.index("{}")
            sentence = template.replace("{}", value)
            subtype = "CN_MOBILE" if locale == "zh_CN" and kind == "PHONE_NUMBER" else kind
            spans = [{"type": kind, "start": at, "end": at + len(value), "value": value, "subtype": subtype}]
        if parts:
            offset += len(joiner)
        for s in spans:
            entities.append({**s, "start": s["start"] + offset, "end": s["end"] + offset})
        parts.append(sentence)
        offset += len(sentence)
    text = joiner.join(parts)
    for e in entities:
        assert text[e["start"]:e["end"]] == e["value"], (text, e)
    return {"text": text, "locale": locale, "entities": entities}


records = [make("en_US", EN_VALUES, EN_TEMPLATES, EN_NEGATIVES, " ") for _ in range(args.english)]
records += [make("zh_CN", ZH_VALUES, ZH_TEMPLATES, ZH_NEGATIVES, "") for _ in range(args.chinese)]
with open(args.out, "w") as f:
    for r in records:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(f"wrote {len(records)} texts, {sum(len(r['entities']) for r in records)} entities to {args.out}")
