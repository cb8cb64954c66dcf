package dev.dala.ota.server.base;

import dev.dala.ota.server.audit.AuditLog;
import dev.dala.ota.server.auth.Caller;
import dev.dala.ota.server.common.StateChanges;
import dev.dala.ota.server.common.Validation;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.server.org.AppService;
import dev.dala.ota.signer.base.BaseFingerprint;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** Registers the native bases an app's devices run; publishing checks bundles against them. */
@ApplicationScoped
public class BaseService {

  /** Whether a registration created a base or found it already there. */
  public record Registered(BaseReleaseEntity base, boolean created) {}

  @Inject
  AppService apps;

  @Inject
  AuditLog audit;

  @Inject
  StateChanges changes;

  @WithSession
  public Uni<List<BaseReleaseEntity>> list(Caller caller, String appName) {
    return apps.find(caller, appName).flatMap(app -> BaseReleaseEntity.ofApp(app.id));
  }

  @WithTransaction
  public Uni<Registered> register(Caller caller, String appName, BaseViews.RegisterBase request) {
    BaseFingerprint fingerprint = validate(request);
    return apps.find(caller, appName).flatMap(app ->
        BaseReleaseEntity.byFingerprint(app.id, fingerprint.id())
            .flatMap(existing -> {
              if (existing != null) {
                return Uni.createFrom().item(new Registered(existing, false));
              }
              BaseReleaseEntity base = new BaseReleaseEntity();
              base.id = UUID.randomUUID();
              base.appId = app.id;
              base.platform = fingerprint.platform();
              base.otpRelease = fingerprint.otpRelease();
              base.ertsVersion = fingerprint.ertsVersion();
              base.elixirVersion = fingerprint.elixirVersion();
              base.staticNifs = fingerprint.staticNifs().toArray(String[]::new);
              base.moduleMd5s = new TreeMap<>(fingerprint.moduleMd5s());
              base.fingerprint = fingerprint.id();
              base.createdAt = Instant.now();
              return base.<BaseReleaseEntity>persist()
                  .call(b -> audit.record(caller.organisationId(), caller.actor(), "base.register", "base",
                      b.id.toString(), null, BaseViews.Base.of(b)))
                  .call(b -> changes.appChanged(app.id))
                  .map(b -> new Registered(b, true));
            }));
  }

  private static BaseFingerprint validate(BaseViews.RegisterBase request) {
    Validation.body(request);
    Validation v = new Validation()
        .notNull(request.platform(), "platform")
        .notNull(request.otpRelease(), "otp_release")
        .notNull(request.ertsVersion(), "erts_version")
        .require(request.moduleMd5s() == null || request.moduleMd5s().size() <= 100_000, "module_md5s",
            "must list at most 100000 modules")
        .require(request.staticNifs() == null || request.staticNifs().size() <= 1000, "static_nifs",
            "must list at most 1000 NIFs");
    v.orThrow();
    BaseFingerprint fingerprint = new BaseFingerprint(request.platform(), request.otpRelease(), request.ertsVersion(),
        request.elixirVersion() == null ? "" : request.elixirVersion(),
        new TreeSet<>(request.staticNifs() == null ? List.of() : request.staticNifs()),
        new TreeMap<>(request.moduleMd5s() == null ? Map.of() : request.moduleMd5s()));
    for (String problem : fingerprint.problems()) {
      v.require(false, problem.substring(0, problem.indexOf(' ')), problem.substring(problem.indexOf(' ') + 1));
    }
    v.require(request.fingerprint() == null || request.fingerprint().equals(fingerprint.id()), "fingerprint",
        "does not match the fields; they give " + fingerprint.id());
    v.orThrow();
    return fingerprint;
  }

  /** Fails with {@code BASE_NOT_FOUND} when {@code id} is not one of {@code appId}'s bases. */
  public static Uni<BaseReleaseEntity> require(UUID appId, String fingerprint) {
    return BaseReleaseEntity.byFingerprint(appId, fingerprint)
        .onItem().ifNull().failWith(() -> OtaException.notFound(ErrorCode.BASE_NOT_FOUND, "base " + fingerprint));
  }
}
