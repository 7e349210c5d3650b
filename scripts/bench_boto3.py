#!/usr/bin/env python3
"""Benchmark alternative (not a test): lists every sender ID of several regions with boto3's
DescribeSenderIds paginator, one thread per region (pages of 100), as a Python script would.
Prints the count and the listing time (after imports and client creation), so the whole-process
time measured by scripts/bench.sh can be read beside it.

Usage: scripts/bench_boto3.py ENDPOINT_URL REGION[,REGION...]
Needs boto3 (`pip install boto3`) and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment.
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3


def list_region(endpoint, region):
    client = boto3.session.Session().client(
        "pinpoint-sms-voice-v2", region_name=region, endpoint_url=endpoint
    )
    count = 0
    for owner in ("SELF", "SHARED"):
        paginator = client.get_paginator("describe_sender_ids")
        for page in paginator.paginate(Owner=owner, PaginationConfig={"PageSize": 100}):
            count += len(page.get("SenderIds", []))
    return count


def main():
    endpoint, regions = sys.argv[1], sys.argv[2].split(",")
    if not endpoint.startswith("http://127.0.0.1:"):
        sys.exit("benchmarks only reach 127.0.0.1")
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(regions)) as pool:
        counts = list(pool.map(lambda r: list_region(endpoint, r), regions))
    elapsed = time.monotonic() - start
    print(f"{sum(counts)} sender IDs in {len(regions)} regions, listed in {elapsed:.3f} s")


if __name__ == "__main__":
    main()
