package dev.sift.report.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Which requests the connection layer may answer itself; everything else goes to Reactor Netty unchanged. */
class ReportConnectionFastPathTest {

    private static final String PATH = "/api/instructors/instructor-1/report";

    @Test
    void takesAPlainHttp11Get() {
        assertThat(ReportConnectionFastPath.candidate(get(PATH))).isEqualTo("instructor-1");
        HttpRequest accept = get(PATH);
        accept.headers().set(HttpHeaderNames.ACCEPT, "application/json");
        assertThat(ReportConnectionFastPath.candidate(accept)).isEqualTo("instructor-1");
        HttpRequest keepAlive = get(PATH);
        keepAlive.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
        assertThat(ReportConnectionFastPath.candidate(keepAlive)).isEqualTo("instructor-1");
    }

    @Test
    void leavesEverythingElseToTheRegularPath() {
        assertThat(ReportConnectionFastPath.candidate(new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, PATH)))
                .isNull();
        assertThat(ReportConnectionFastPath.candidate(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, PATH)))
                .isNull();
        assertThat(ReportConnectionFastPath.candidate(get(PATH + "?via=chain"))).isNull();
        assertThat(ReportConnectionFastPath.candidate(get(PATH + "#x"))).isNull();
        assertThat(ReportConnectionFastPath.candidate(get("http://127.0.0.1" + PATH))).isNull();
        assertThat(ReportConnectionFastPath.candidate(get("/api/instructors/../report"))).isNull();
        assertThat(ReportConnectionFastPath.candidate(get("/api/instructors/a%2Fb/report"))).isNull();
        assertThat(ReportConnectionFastPath.candidate(get("/api/instructors/instructor-1/dashboard"))).isNull();
        for (String[] header : new String[][] {{"Connection", "close"}, {"Connection", "Close"}, {"Expect", "100-continue"},
                {"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}, {"Upgrade", "h2c"},
                {"Origin", "https://a.example"}, {"Accept", "application/xml"}}) {
            HttpRequest request = get(PATH);
            request.headers().set(header[0], header[1]);
            assertThat(ReportConnectionFastPath.candidate(request)).as(header[0] + ": " + header[1]).isNull();
        }
        DefaultFullHttpRequest failed = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, PATH,
                Unpooled.EMPTY_BUFFER);
        failed.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new IllegalArgumentException("bad")));
        assertThat(ReportConnectionFastPath.candidate(failed)).isNull();
    }

    private static HttpRequest get(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
