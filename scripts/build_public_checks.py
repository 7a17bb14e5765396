"""Build the public out-of-style check sets from two openly licensed data sets.

The local model is trained on the seed corpus alone; these sets are text it never saw, written by
other people for other purposes, on which `bench/triage_register_out.py` scores it (and the
keyword rules) to judge recipe choices without touching an evaluation set. Training on them was
tried and did not help on those checks (bench/RESULTS.md), so they are not in the seed corpus.

Writes, in the seed format (`title,description,category,priority`; the title and the priority are
left empty: the sets hold one message each and say nothing about urgency):

- `bench/data/public_clinc150.csv` from CLINC150 (Larson et al., 2019, CC BY 3.0,
  https://github.com/clinc/oos-eval, `data/data_full.json`): crowd-written requests to a
  banking, credit-card, travel and workplace assistant. Only the intents below, which clearly
  belong to one support category, are kept; small talk, the assistant's own settings and the
  intents that could be two categories are not: fraud reports and transaction lists (billing
  or account), card replacements and limit changes (account or general), and new plans or
  cheques (a sale, or a change to the account). Its one technical intent, a declined card, is
  left out too: 150 rows of "card not accepted" taught that any card is a technical matter.
- `bench/data/public_stackexchange.csv` from the NLU Evaluation Corpora (Braun et al., 2017,
  CC BY-SA 3.0, https://github.com/sebischair/NLU-Evaluation-Corpora): real users' question
  titles from Ask Ubuntu and Web Applications Stack Exchange. That file stays CC BY-SA 3.0.

Every row of a kept intent is eligible; each category is then sampled down to `PER_CATEGORY`
rows (the intents in turn, seeded), so no category and no single intent dominates.

    git clone https://github.com/clinc/oos-eval
    git clone https://github.com/sebischair/NLU-Evaluation-Corpora
    python scripts/build_public_checks.py --clinc oos-eval/data/data_full.json \
        --nlu NLU-Evaluation-Corpora
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "data"
PER_CATEGORY = 150

# CLINC150 intent -> support category. Anything not listed is left out.
CLINC_MAP: dict[str, str] = {
    # Bills, payments owed, fees.
    "bill_due": "billing",
    "pay_bill": "billing",
    "bill_balance": "billing",
    "min_payment": "billing",
    "international_fees": "billing",
    # Access to and security of the customer's account.
    "account_blocked": "account",
    "freeze_account": "account",
    "pin_change": "account",
    "report_lost_card": "account",
    # Questions and service requests: information, status, products.
    "balance": "general",
    "routing": "general",
    "interest_rate": "general",
    "credit_limit": "general",
    "credit_score": "general",
    "application_status": "general",
    "expiration_date": "general",
    "apr": "general",
    "redeem_rewards": "general",
    "rewards_balance": "general",
    "travel_notification": "general",
    "order_status": "general",
    "insurance": "general",
}

# NLU Evaluation Corpora: (corpus file, intent) -> support category. "None" and
# "FindAlternative" / "SoftwareRecommendation" (asking for another product) are left out.
STACKEXCHANGE_MAP: dict[tuple[str, str], str] = {
    ("WebApplicationsCorpus.json", "Change Password"): "account",
    ("WebApplicationsCorpus.json", "Delete Account"): "account",
    ("WebApplicationsCorpus.json", "Sync Accounts"): "technical",
    ("WebApplicationsCorpus.json", "Filter Spam"): "technical",
    ("WebApplicationsCorpus.json", "Export Data"): "general",
    ("WebApplicationsCorpus.json", "Download Video"): "general",
    ("AskUbuntuCorpus.json", "Make Update"): "technical",
    ("AskUbuntuCorpus.json", "Setup Printer"): "technical",
    ("AskUbuntuCorpus.json", "Shutdown Computer"): "technical",
}


def sample(by_intent: dict[str, list[str]], mapping: dict[str, str], seed: int) -> list[list[str]]:
    """Per category, up to PER_CATEGORY distinct texts taken from its intents in turn."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for category in ("billing", "technical", "account", "general"):
        pools = []
        for intent in sorted(i for i, c in mapping.items() if c == category):
            texts = sorted(set(by_intent.get(intent, [])))
            rng.shuffle(texts)
            pools.append(texts)
        taken: list[str] = []
        while len(taken) < PER_CATEGORY and any(pools):
            for pool in pools:
                if pool and len(taken) < PER_CATEGORY:
                    taken.append(pool.pop())
        rows += [["", text, category, ""] for text in sorted(taken)]
    return rows


def clinc_rows(path: Path) -> list[list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    by_intent: dict[str, list[str]] = defaultdict(list)
    for split in ("train", "val", "test"):
        for text, intent in data[split]:
            by_intent[intent].append(text.strip())
    return sample(by_intent, CLINC_MAP, seed=150)


def stackexchange_rows(directory: Path) -> list[list[str]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    mapping: dict[str, str] = {}
    for (name, intent), category in STACKEXCHANGE_MAP.items():
        mapping[f"{name}:{intent}"] = category
    for name in sorted({name for name, _ in STACKEXCHANGE_MAP}):
        data = json.loads((directory / name).read_text(encoding="utf-8"))
        for sentence in data["sentences"]:
            by_key[f"{name}:{sentence['intent']}"].append(sentence["text"].strip())
    return sample(by_key, mapping, seed=2017)


def write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "description", "category", "priority"])
        writer.writerows(rows)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row[2]] += 1
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows {dict(counts)}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clinc", type=Path, required=True, help="oos-eval/data/data_full.json")
    parser.add_argument("--nlu", type=Path, required=True, help="NLU-Evaluation-Corpora checkout")
    args = parser.parse_args()
    write(OUT / "public_clinc150.csv", clinc_rows(args.clinc))
    write(OUT / "public_stackexchange.csv", stackexchange_rows(args.nlu))


if __name__ == "__main__":
    main()
