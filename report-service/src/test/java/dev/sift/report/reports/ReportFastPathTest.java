package dev.sift.report.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Which requests {@link ReportFastPath} takes at all; everything else goes to the security chain untouched. */
class ReportFastPathTest {

    private static final String PATH = "/api/instructors/instructor-1/report";

    @Test
    void takesAPlainGetOfOneReport() {
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH).build())).isEqualTo("instructor-1");
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/a.b_c~D-9/report").build()))
                .isEqualTo("a.b_c~D-9");
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH).header(HttpHeaders.ACCEPT, "*/*").build()))
                .isEqualTo("instructor-1");
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH)
                .header(HttpHeaders.ACCEPT, "application/json").build())).isEqualTo("instructor-1");
    }

    @Test
    void leavesEveryOtherRequestToTheChain() {
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.post(PATH).build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.head(PATH).build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH + "?access_token=x").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH + "/").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/instructor-1/dashboard").build()))
                .isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors//report").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/../report").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/./report").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/a%2Fb/report").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/a;x=1/report").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/a/b/report").build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get("/api/instructors/" + "x".repeat(201) + "/report")
                .build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH).header(HttpHeaders.ORIGIN, "https://a.example")
                .build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH).header(HttpHeaders.ACCEPT, "application/xml")
                .build())).isNull();
        assertThat(ReportFastPath.instructorId(MockServerHttpRequest.get(PATH)
                .header(HttpHeaders.ACCEPT, "application/json", "text/plain").build())).isNull();
    }

    @Test
    void takesOneBearerTokenAsTheSecurityChainReadsIt() {
        assertThat(ReportFastPath.token(headers("Bearer aGVh.cGF5_bG9-hZA.c2ln"))).isEqualTo("aGVh.cGF5_bG9-hZA.c2ln");
        // The chain's parser takes these too (RFC 6750 b64token, scheme case-insensitive); verification decides.
        assertThat(ReportFastPath.token(headers("bearer a.b.c"))).isEqualTo("a.b.c");
        assertThat(ReportFastPath.token(headers("Bearer a.b.c="))).isEqualTo("a.b.c=");
        assertThat(ReportFastPath.token(headers("Bearer a+b/c"))).isEqualTo("a+b/c");
        assertThat(ReportFastPath.token(new HttpHeaders())).isNull();
        assertThat(ReportFastPath.token(headers("Bearer "))).isNull();
        assertThat(ReportFastPath.token(headers("Basic dXNlcjpwYXNz"))).isNull();
        assertThat(ReportFastPath.token(headers("Bearer a.b.c "))).isNull();
        assertThat(ReportFastPath.token(headers("Bearer  a.b.c"))).isNull();
        HttpHeaders twice = headers("Bearer a.b.c");
        twice.add(HttpHeaders.AUTHORIZATION, "Bearer d.e.f");
        assertThat(ReportFastPath.token(twice)).isNull();
    }

    private static HttpHeaders headers(String authorization) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.AUTHORIZATION, authorization);
        return headers;
    }
}
