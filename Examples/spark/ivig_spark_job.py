#!/usr/bin/env python3
"""Run ivig-fhir inside Apache Spark: each partition of NDJSON records is piped through
`ivig-fhir convert` (or `validate`), and the outputs and rejects are written per partition.

Spark reads the input (NDJSON files, gzip'd or not: Hadoop inflates `.gz`, one partition per
gzip'd file since gzip cannot be split), ships the ivig-fhir binary to every executor
(`SparkContext.addFile`, as `spark-submit --files` does) and runs it once per partition on that
partition's lines. Nothing is lost: every input record comes back as a converted record or a
reject, and the job checks that the counts add up across the whole job before it succeeds.

    python3 ivig_spark_job.py --binary .build/release/ivig-fhir --input records/ --output out/ \
        --master 'local[2]'

writes out/records/part-*, out/rejects/part-* and out/counts.json.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

SUMMARY = re.compile(r"summary: \d+ inputs?, (\d+) records? read, (\d+) written, (\d+) rejected")
VALIDATE_SUMMARY = re.compile(r"summary: \d+ inputs?, (\d+) records? read, (\d+) checked, (\d+) unreadable")


def run_partition(index, lines, mode, binary_name, rules_name, jobs):
    """Pipes one partition's lines through ivig-fhir; yields ("record", line), ("reject", line)
    and one ("count", {...}) with what the tool said it did."""
    from pyspark import SparkFiles

    binary = SparkFiles.get(binary_name)
    os.chmod(binary, 0o755)
    lines = list(lines)
    given = len(lines)
    if given == 0:
        yield ("count", {"partition": index, "given": 0, "read": 0, "written": 0, "rejected": 0})
        return
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    with tempfile.TemporaryDirectory() as work:
        output = os.path.join(work, "out.ndjson")
        rejects = os.path.join(work, "rejects.ndjson")
        if mode == "convert":
            command = [binary, "convert", "--to", "ndjson", "--output", output, "--rejects", rejects]
        else:
            command = [binary, "validate", "--format", "csv", "--rules", SparkFiles.get(rules_name)]
        command += ["--jobs", str(jobs), "-"]
        done = subprocess.run(command, input=payload, capture_output=True)
        summary = done.stderr.decode("utf-8", "replace").strip().splitlines()
        summary = summary[-1] if summary else ""
        if mode == "convert":
            match = SUMMARY.search(summary)
            if done.returncode not in (0, 1) or not match:
                raise RuntimeError(f"partition {index}: ivig-fhir exited {done.returncode}: {summary}")
            read, written, rejected = (int(group) for group in match.groups())
            for path, tag in ((output, "record"), (rejects, "reject")):
                if os.path.exists(path):
                    with open(path, encoding="utf-8") as produced:
                        for line in produced:
                            yield (tag, line.rstrip("\n"))
        else:
            match = VALIDATE_SUMMARY.search(summary)
            if done.returncode not in (0, 2, 65) or not match:
                raise RuntimeError(f"partition {index}: ivig-fhir exited {done.returncode}: {summary}")
            read, written, rejected = (int(group) for group in match.groups())
            # Findings as CSV rows (the header row dropped): the "rejects" of a validation.
            for row in done.stdout.decode("utf-8").splitlines()[1:]:
                yield ("reject", row)
    yield ("count", {"partition": index, "given": given, "read": read, "written": written, "rejected": rejected})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the ivig-fhir executable (shipped to the executors)")
    parser.add_argument("--input", required=True, help="NDJSON files or a folder of them (.ndjson, .ndjson.gz)")
    parser.add_argument("--output", required=True, help="a folder for records/, rejects/ and counts.json")
    parser.add_argument("--mode", choices=["convert", "validate"], default="convert")
    parser.add_argument("--rules", help="the dosing rules file for --mode validate (products.json beside it)")
    parser.add_argument("--master", default=None, help="the Spark master (default: spark-submit's)")
    parser.add_argument("--partitions", type=int, default=None, help="the least number of partitions")
    parser.add_argument(
        "--jobs", type=int, default=None,
        help="ivig-fhir's threads per partition (default: spark.task.cpus, the cores Spark gives a task)")
    arguments = parser.parse_args()

    from pyspark import SparkConf, SparkContext

    configuration = SparkConf().setAppName("ivig-fhir")
    if arguments.master:
        configuration = configuration.setMaster(arguments.master)
    context = SparkContext(conf=configuration)
    context.setLogLevel("ERROR")
    # Spark already runs one task per core it was given; a tool using every core of the machine
    # inside each task would oversubscribe it, so each partition's ivig-fhir gets a task's cores.
    jobs = arguments.jobs or int(context.getConf().get("spark.task.cpus", "1"))
    context.addFile(os.path.abspath(arguments.binary))
    binary_name = os.path.basename(arguments.binary)
    rules_name = None
    if arguments.mode == "validate":
        rules = os.path.abspath(arguments.rules)
        context.addFile(rules)
        context.addFile(os.path.join(os.path.dirname(rules), "products.json"))
        rules_name = os.path.basename(rules)

    lines = context.textFile(arguments.input, minPartitions=arguments.partitions)
    mode = arguments.mode
    results = lines.mapPartitionsWithIndex(
        lambda index, part: run_partition(index, part, mode, binary_name, rules_name, jobs)).cache()
    records = results.filter(lambda item: item[0] == "record").map(lambda item: item[1])
    rejects = results.filter(lambda item: item[0] == "reject").map(lambda item: item[1])
    records.saveAsTextFile(os.path.join(arguments.output, "records"))
    rejects.saveAsTextFile(os.path.join(arguments.output, "rejects"))
    counts = results.filter(lambda item: item[0] == "count").map(lambda item: item[1]).collect()

    total = {key: sum(count[key] for count in counts) for key in ("given", "read", "written", "rejected")}
    total["partitions"] = len(counts)
    total["recordLines"] = records.count()
    total["rejectLines"] = rejects.count()
    context.stop()
    with open(os.path.join(arguments.output, "counts.json"), "w") as file:
        json.dump({"total": total, "partitions": sorted(counts, key=lambda count: count["partition"])}, file, indent=1)
    print(json.dumps(total))
    # Nothing lost: every line given to a partition was read, and ended converted or rejected.
    balanced = total["given"] == total["read"] == total["written"] + total["rejected"]
    if mode == "convert":
        balanced = balanced and total["recordLines"] == total["written"] and total["rejectLines"] == total["rejected"]
    if not balanced:
        print(f"error: the counts do not add up: {total}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
