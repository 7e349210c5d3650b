//! The wire protocol seen by a hand-written HTTP/1.1 client: empty bodies, bodies that are not JSON
//! objects, unknown targets, missing signatures, and the headers every response carries.

use serde_json::Value;
use sidman::emulator::{Emulator, Faults, Seed};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const AUTH_US: &str = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20250101/us-east-1/sms-voice/aws4_request, \
                       SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00";
const AUTH_EU: &str = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20250101/eu-west-1/sms-voice/aws4_request, \
                       SignedHeaders=host, Signature=00";

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn error_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or_default()
    }

    fn assert_envelope(&self) {
        assert_eq!(
            self.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        let id = self
            .header("x-amzn-requestid")
            .expect("x-amzn-RequestId on every response");
        assert!(
            uuid::Uuid::parse_str(id).is_ok(),
            "request id is a uuid: {id}"
        );
    }
}

async fn send(emulator: &Emulator, method: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .expect("connect");
    let mut request = format!(
        "{method} / HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        emulator.addr(),
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write head");
    stream.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8(raw).expect("utf-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).expect("JSON body")
    };
    Reply {
        status,
        headers,
        body,
    }
}

async fn call(emulator: &Emulator, target: &str, body: &str) -> Reply {
    let headers = [
        ("Content-Type", "application/x-amz-json-1.0"),
        ("X-Amz-Target", target),
        ("Authorization", AUTH_US),
    ];
    send(emulator, "POST", &headers, body.as_bytes()).await
}

async fn demo() -> Emulator {
    Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts")
}

#[tokio::test]
async fn an_empty_body_is_an_empty_object() {
    let emulator = demo().await;
    let reply = call(&emulator, "PinpointSMSVoiceV2.DescribeSenderIds", "").await;
    assert_eq!(reply.status, 200);
    reply.assert_envelope();
    let items = reply.body["SenderIds"].as_array().expect("SenderIds");
    assert_eq!(items.len(), emulator.sender_ids("us-east-1").len());
    assert!(items[0]["SenderIdArn"].is_string() && items[0]["MonthlyLeasingPrice"].is_string());
    assert!(reply.body.get("NextToken").is_none());
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_serialization_errors() {
    let emulator = demo().await;
    for body in ["[1,2]", "\"text\"", "{\"unclosed\": ", "42"] {
        let reply = call(&emulator, "PinpointSMSVoiceV2.DescribeSenderIds", body).await;
        assert_eq!(reply.status, 400, "{body}");
        reply.assert_envelope();
        assert_eq!(
            reply.error_type(),
            "com.amazonaws.pinpointsmsvoicev2#SerializationException"
        );
        assert!(reply.body["Message"].is_string());
    }
}

#[tokio::test]
async fn unknown_operations_are_refused() {
    let emulator = demo().await;
    for target in [
        "PinpointSMSVoiceV2.DescribePhoneNumbers",
        "PinpointSMSVoiceV2.describesenderids",
        "Other.DescribeSenderIds",
    ] {
        let reply = call(&emulator, target, "{}").await;
        assert_eq!(reply.status, 400, "{target}");
        reply.assert_envelope();
        assert_eq!(
            reply.error_type(),
            "com.amazonaws.pinpointsmsvoicev2#UnknownOperationException"
        );
    }
    let no_target = send(&emulator, "POST", &[("Authorization", AUTH_US)], b"{}").await;
    assert_eq!(
        no_target.error_type(),
        "com.amazonaws.pinpointsmsvoicev2#UnknownOperationException"
    );
    no_target.assert_envelope();
    let get = send(&emulator, "GET", &[("Authorization", AUTH_US)], b"").await;
    assert_eq!(get.status, 400);
    get.assert_envelope();
}

#[tokio::test]
async fn unsigned_requests_are_refused() {
    let emulator = demo().await;
    let headers = [("X-Amz-Target", "PinpointSMSVoiceV2.DescribeSenderIds")];
    let reply = send(&emulator, "POST", &headers, b"{}").await;
    assert_eq!(reply.status, 400);
    reply.assert_envelope();
    assert_eq!(
        reply.error_type(),
        "com.amazonaws.pinpointsmsvoicev2#MissingAuthenticationTokenException"
    );
    assert_eq!(
        reply.body["Message"],
        "Request is missing Authentication Token"
    );
    let received = emulator.received();
    assert_eq!(received.requests()[0].region, None);
    assert_eq!(
        received.requests()[0].error.as_deref(),
        Some("MissingAuthenticationTokenException")
    );
}

#[tokio::test]
async fn header_names_are_case_insensitive_and_the_scope_picks_the_region() {
    let emulator = demo().await;
    let headers = [
        ("X-AMZ-TARGET", "PinpointSMSVoiceV2.DescribeSenderIds"),
        ("AUTHORIZATION", AUTH_EU),
    ];
    let reply = send(
        &emulator,
        "POST",
        &headers,
        b"{\"MaxResults\": 2, \"SomethingNew\": true}",
    )
    .await;
    assert_eq!(reply.status, 200, "unknown members are ignored");
    let arn = reply.body["SenderIds"][0]["SenderIdArn"]
        .as_str()
        .expect("arn");
    assert!(arn.starts_with("arn:aws:sms-voice:eu-west-1:"), "{arn}");
    assert!(reply.body["NextToken"].is_string());
}

#[tokio::test]
async fn wrong_json_types_are_validation_errors() {
    let emulator = demo().await;
    let reply = call(
        &emulator,
        "PinpointSMSVoiceV2.DescribeSenderIds",
        r#"{"MaxResults": "ten", "Filters": {}}"#,
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.error_type(),
        "com.amazonaws.pinpointsmsvoicev2#ValidationException"
    );
    assert_eq!(reply.body["Reason"], "CANNOT_PARSE");
    let names: Vec<&str> = reply.body["Fields"]
        .as_array()
        .expect("Fields")
        .iter()
        .filter_map(|f| f["Name"].as_str())
        .collect();
    assert_eq!(names, ["Filters", "MaxResults"]);
    let nulls = call(
        &emulator,
        "PinpointSMSVoiceV2.DescribeSenderIds",
        r#"{"MaxResults": null, "NextToken": null}"#,
    )
    .await;
    assert_eq!(nulls.status, 200, "null members count as absent");
}

#[tokio::test]
async fn internal_errors_are_500_with_the_request_id() {
    let emulator = demo().await;
    emulator.set_faults(Faults {
        internal_error_probability: 1.0,
        ..Faults::default()
    });
    let reply = call(
        &emulator,
        "PinpointSMSVoiceV2.ReleaseSenderId",
        r#"{"SenderId":"SHOPNOW","IsoCountryCode":"GB"}"#,
    )
    .await;
    assert_eq!(reply.status, 500);
    reply.assert_envelope();
    assert_eq!(
        reply.error_type(),
        "com.amazonaws.pinpointsmsvoicev2#InternalServerException"
    );
    assert_eq!(
        reply.body["RequestId"].as_str(),
        reply.header("x-amzn-requestid")
    );
}

#[tokio::test]
async fn error_bodies_carry_their_members() {
    let emulator = demo().await;
    let reply = call(
        &emulator,
        "PinpointSMSVoiceV2.ReleaseSenderId",
        r#"{"SenderId":"ACMEBANK","IsoCountryCode":"GB"}"#,
    )
    .await;
    assert_eq!(reply.status, 400);
    reply.assert_envelope();
    assert_eq!(
        reply.error_type(),
        "com.amazonaws.pinpointsmsvoicev2#ConflictException"
    );
    assert_eq!(reply.body["Reason"], "DELETION_PROTECTION_ENABLED");
    assert_eq!(reply.body["ResourceType"], "sender-id");
    assert_eq!(reply.body["ResourceId"], "ACMEBANK");
    let ok = call(&emulator, "PinpointSMSVoiceV2.UntagResource", r#"{"ResourceArn":"arn:aws:sms-voice:us-east-1:111122223333:sender-id/ACMEPAY/GB","TagKeys":["team"]}"#).await;
    assert_eq!(ok.status, 200);
    ok.assert_envelope();
    assert_eq!(ok.body, serde_json::json!({}));
}
