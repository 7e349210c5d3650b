#!/usr/bin/env python3
"""Throws random and hostile requests at a running sidman emulator and checks that every answer
keeps the AWS JSON 1.0 envelope: status 200 or 400 (500 only when faults are injected), the
content type, an x-amzn-RequestId, and on errors a `__type` and `Message`. Never reaches off
loopback. Usage: scripts/emulator_fuzz.py [PORT] [ROUNDS]"""
import http.client, json, random, sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 4566
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
OPS = ["DescribeSenderIds", "ReleaseSenderId", "RequestSenderId", "UpdateSenderId",
       "ListTagsForResource", "TagResource", "UntagResource", "DescribePhoneNumbers", ""]
MEMBERS = ["SenderIds", "Filters", "NextToken", "MaxResults", "Owner", "SenderId", "IsoCountryCode",
           "MessageTypes", "DeletionProtectionEnabled", "Tags", "ClientToken", "ResourceArn", "TagKeys",
           "Name", "Values", "Key", "Value"]
STRINGS = ["", "ACMEBANK", "GB", "gb", "SHOPNOW", "x" * 300, "arn:aws:sms-voice:us-east-1:111122223333:sender-id/ACMEPAY/GB",
           "arn:aws:sms-voice:us-east-1:444455556666:sender-id/GLOBEX/GB", "arn:", "arn:aws:sms-voice:::", "sender-id",
           "iso-country-code", "registered", "true", "TRANSACTIONAL", "SELF", "SHARED", "\u00e9\u00e9", "a/b/c", "\x00", "aws:x"]
rng = random.Random(7)

def value(depth=0):
    kind = rng.randrange(9 if depth < 3 else 5)
    if kind == 0: return None
    if kind == 1: return rng.choice([True, False])
    if kind == 2: return rng.choice([0, -1, 1, 7, 100, 101, 2**63, 1.5, -2**70])
    if kind in (3, 4): return rng.choice(STRINGS)
    if kind in (5, 6): return [value(depth + 1) for _ in range(rng.randrange(0, 8))]
    return {rng.choice(MEMBERS): value(depth + 1) for _ in range(rng.randrange(0, 5))}

def body():
    roll = rng.random()
    if roll < 0.05: return rng.choice([b"", b"[", b"null", b"[]", b"\xff\xfe", b"{" * 200 + b"}" * 200, b'"x"'])
    return json.dumps({rng.choice(MEMBERS): value() for _ in range(rng.randrange(0, 6))}).encode()

def main():
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    seen = {}
    for i in range(ROUNDS):
        op = rng.choice(OPS)
        region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2"])
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        if op: headers["X-Amz-Target"] = "PinpointSMSVoiceV2." + op
        if rng.random() > 0.03:
            headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential=AKID/20250101/{region}/sms-voice/aws4_request, "
                                        "SignedHeaders=host, Signature=0")
        conn.request("POST", "/", body=body(), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        assert resp.status in (200, 400), (resp.status, data)
        assert resp.getheader("Content-Type") == "application/x-amz-json-1.0"
        assert resp.getheader("x-amzn-RequestId")
        doc = json.loads(data)
        assert isinstance(doc, dict)
        if resp.status != 200:
            assert doc["__type"].startswith("com.amazonaws.pinpointsmsvoicev2#") and "Message" in doc, doc
        key = (op, resp.status, doc.get("__type", "ok").split("#")[-1], doc.get("Reason"))
        seen[key] = seen.get(key, 0) + 1
    for key in sorted(seen, key=str):
        print(seen[key], *key)
    print(f"{ROUNDS} requests, every answer well formed")

main()
