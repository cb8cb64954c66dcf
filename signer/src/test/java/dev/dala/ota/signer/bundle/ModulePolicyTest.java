package dev.dala.ota.signer.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dala.ota.signer.bundle.ModulePolicy.Reserved;
import dev.dala.ota.testing.otp.OtpRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModulePolicyTest {

  private final ModulePolicy policy = ModulePolicy.standard();

  @Test
  void refusesOtpElixirAndAgentModules() {
    assertThat(policy.check("lists")).contains(Reserved.OTP_OR_ELIXIR);
    assertThat(policy.check("json")).as("new in OTP 27").contains(Reserved.OTP_OR_ELIXIR);
    assertThat(policy.check("Elixir.Enum")).contains(Reserved.OTP_OR_ELIXIR);
    assertThat(policy.check("Elixir.JSON")).as("new in Elixir 1.18").contains(Reserved.OTP_OR_ELIXIR);
    assertThat(policy.check("Elixir.DalaOta")).contains(Reserved.AGENT);
    assertThat(policy.check("Elixir.DalaOta.Agent")).contains(Reserved.AGENT);
    assertThat(policy.check("dala_ota_crypto")).contains(Reserved.AGENT);
  }

  @Test
  void allowsTheAppsOwnModulesIncludingProtocolImplementationsForElixirProtocols() {
    assertThat(policy.check("Elixir.MyApp.Worker")).isEmpty();
    assertThat(policy.check("Elixir.String.Chars.MyApp.Money")).isEmpty();
    assertThat(policy.check("my_app_sup")).isEmpty();
  }

  @Test
  void coversEveryModuleOfEachRealRuntime() {
    for (OtpRuntime runtime : OtpRuntime.all()) {
      Path dir = runtime.newWorkDir();
      try {
        String out = runtime.eval(dir, Duration.ofMinutes(1),
            "[io:format(\"~s~n\", [M]) || {M, _, _} <- code:all_available(), not lists:prefix(\"beam_oracle\", M)],"
                + " halt().").requireSuccess().stdout();
        List<String> modules = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(modules).as(runtime.label()).hasSizeGreaterThan(300);
        assertThat(modules.stream().filter(m -> policy.check(m).isEmpty()).toList()).as(runtime.label()).isEmpty();
      } finally {
        OtpRuntime.deleteTree(dir);
      }
    }
  }
}
