package dev.dala.ota.signer.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleFileTest {

  private static final BundleFile BUNDLE = new BundleFile("envelope".getBytes(StandardCharsets.US_ASCII),
      List.of(new BundleModule("a", new byte[] {1, 2, 3}), new BundleModule("é_b", new byte[100])));

  @Test
  void roundTrips() throws Exception {
    assertThat(BundleFile.read(BUNDLE.toBytes(), BundleLimits.DEFAULT)).isEqualTo(BUNDLE);
  }

  @Test
  void rejectsBadMagicTruncationAndTrailingBytes() {
    byte[] bytes = BUNDLE.toBytes();
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> BundleFile.read(magic, BundleLimits.DEFAULT)).hasMessageContaining("magic");
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> BundleFile.read(cut, BundleLimits.DEFAULT)).isInstanceOf(BundleFormatException.class);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> BundleFile.read(longer, BundleLimits.DEFAULT)).hasMessageContaining("follow");
  }

  @Test
  void enforcesEachLimit() {
    byte[] bytes = BUNDLE.toBytes();
    assertThatThrownBy(() -> BundleFile.read(bytes, new BundleLimits(7, 10, 1000, 10_000)))
        .hasMessageContaining("envelope");
    assertThatThrownBy(() -> BundleFile.read(bytes, new BundleLimits(100, 1, 1000, 10_000)))
        .hasMessageContaining("modules exceed");
    assertThatThrownBy(() -> BundleFile.read(bytes, new BundleLimits(100, 10, 99, 10_000)))
        .hasMessageContaining("é_b");
    assertThatThrownBy(() -> BundleFile.read(bytes, new BundleLimits(100, 10, 1000, 120)))
        .hasMessageContaining("exceeds 120");
  }

  @Test
  void refusesAHugeModuleLengthBeforeReadingOrAllocatingIt() throws Exception {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(header);
    out.write(BundleFile.MAGIC);
    out.writeShort(1);
    out.writeInt(0);
    out.writeInt(1);
    out.writeShort(1);
    out.writeByte('m');
    out.writeInt(0xFFFF_FFF0);
    // An endless stream behind the header: reading it would never end.
    InputStream endless = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(header.toByteArray()),
        new InputStream() {
          @Override
          public int read() throws IOException {
            return 0;
          }
        });
    assertThatThrownBy(() -> BundleFile.read(endless, BundleLimits.DEFAULT)).hasMessageContaining("exceeds");
  }

  @Test
  void rejectsTheSameModuleTwice() {
    byte[] bytes = new BundleFile(new byte[0], List.of(new BundleModule("a", new byte[1]), new BundleModule("a", new byte[2])))
        .toBytes();
    assertThatThrownBy(() -> BundleFile.read(bytes, BundleLimits.DEFAULT)).hasMessageContaining("twice");
  }
}
