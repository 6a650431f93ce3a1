"""Reference side of the embedding benchmark (run by Benchmarks/run_embed.sh).

    embed_reference.py --impl torch|onnx|onnx-int8 --model DIR [--runs N] [--threads 2] [--case long|short|all]

Embeds the same synthetic sentences as Benchmarks/EmbedBenchmarks (same ids, batches of 32 sorted by
length, dynamic padding) with all-MiniLM-L6-v2: `transformers` BertModel in PyTorch eager mode, or the
same model exported to ONNX and run by ONNX Runtime; then mean pooling and L2 normalization, as
sentence-transformers does. Prints one JSON line per case (median sentences/s over the runs, per CPU
second too, peak RSS).
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def sentences(count, length):
    out = []
    for i in range(count):
        n = length(i)
        out.append([101] + [1000 + ((i * 7919 + j * 104729 + 13) % 20000) for j in range(1, n - 1)] + [102])
    return out


def cases(which):
    all_cases = {
        "long": sentences(128, lambda i: 128),
        "short": sentences(1024, lambda i: 10 + (i * 7) % 11),
    }
    return {k: v for k, v in all_cases.items() if which in ("all", k)}


def batches(inputs, size=32):
    order = sorted(range(len(inputs)), key=lambda i: -len(inputs[i]))
    for start in range(0, len(order), size):
        chunk = [inputs[i] for i in order[start:start + size]]
        s = max(len(r) for r in chunk)
        ids = np.zeros((len(chunk), s), dtype=np.int64)
        mask = np.zeros((len(chunk), s), dtype=np.int64)
        for r, row in enumerate(chunk):
            ids[r, :len(row)] = row
            mask[r, :len(row)] = 1
        yield order[start:start + size], ids, mask


def pool(hidden, mask):
    m = mask[..., None].astype(hidden.dtype)
    mean = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return mean / np.clip(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12, None)


def torch_runner(model_dir, threads):
    import torch
    from transformers import BertModel

    torch.set_num_threads(threads)
    model = BertModel.from_pretrained(model_dir).eval()

    def run(ids, mask):
        with torch.inference_mode():
            h = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state
            m = torch.from_numpy(mask).unsqueeze(-1).to(h.dtype)
            mean = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=-1).numpy()
    return run, {"torch": torch.__version__}


def onnx_runner(model_dir, threads, int8=False):
    import onnxruntime as ort
    import torch
    from transformers import BertModel

    cache = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "bench-onnx")
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, "minilm.onnx")
    if not os.path.exists(path):
        bert = BertModel.from_pretrained(model_dir, attn_implementation="eager").eval()

        class Encoder(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask):
                return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        ids = torch.ones((2, 8), dtype=torch.int64)
        with torch.no_grad():
            torch.onnx.export(Encoder().eval(), (ids, torch.ones_like(ids)), path + ".tmp", input_names=["input_ids", "attention_mask"],
                              output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": {0: "b", 1: "s"}, "attention_mask": {0: "b", 1: "s"},
                                            "last_hidden_state": {0: "b", 1: "s"}})
        os.replace(path + ".tmp", path)
    if int8:  # ONNX Runtime's dynamic quantization with its defaults (int8 weights, u8 activations per tensor)
        from onnxruntime.quantization import QuantType, quantize_dynamic
        qpath = os.path.join(cache, "minilm.int8.onnx")
        if not os.path.exists(qpath):
            quantize_dynamic(path, qpath + ".tmp", weight_type=QuantType.QInt8)
            os.replace(qpath + ".tmp", qpath)
        path = qpath
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

    def run(ids, mask):
        h = session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})[0]
        return pool(h, mask)
    return run, {"onnxruntime": ort.__version__}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--impl", choices=["torch", "onnx", "onnx-int8"], required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--case", default="all")
    a = p.parse_args()
    if a.impl == "torch":
        run, versions = torch_runner(a.model, a.threads)
    else:
        run, versions = onnx_runner(a.model, a.threads, int8=a.impl == "onnx-int8")
    for name, inputs in cases(a.case).items():
        out = np.zeros((len(inputs), 384), dtype=np.float32)
        for idx, ids, mask in batches(inputs[:32]):
            run(ids, mask)  # warm-up
        rates, cpu_rates = [], []
        for _ in range(a.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            for idx, ids, mask in batches(inputs):
                out[idx] = run(ids, mask)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            rates.append(len(inputs) / dt)
            cpu_rates.append(len(inputs) / dc)
        line = {"impl": a.impl, "case": name, "sentences": len(inputs), "batch_size": 32,
                "mean_tokens": sum(map(len, inputs)) / len(inputs), "sentences_per_s": sorted(rates)[len(rates) // 2],
                "runs": rates, "sentences_per_cpu_s": sorted(cpu_rates)[len(cpu_rates) // 2],
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "first_value": float(out[0, 0]), "threads": a.threads, **versions}
        print(json.dumps(line, sort_keys=True), flush=True)


if __name__ == "__main__":
    sys.exit(main())
