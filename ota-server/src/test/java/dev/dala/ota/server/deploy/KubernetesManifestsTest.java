package dev.dala.ota.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * k8s/ read into the Kubernetes API's model classes (fabric8): every field must be one the API
 * knows, and the manifests must agree with each other and with the server: the settings it
 * reads, the ports it listens on, the secrets it needs, the health endpoints it serves, and a
 * pod that runs unprivileged with a read-only root.
 */
class KubernetesManifestsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final Map<String, Class<?>> KINDS = Map.ofEntries(
      Map.entry("Namespace", Namespace.class), Map.entry("ConfigMap", ConfigMap.class),
      Map.entry("ServiceAccount", ServiceAccount.class), Map.entry("Deployment", Deployment.class),
      Map.entry("Service", Service.class), Map.entry("Ingress", Ingress.class),
      Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
      Map.entry("NetworkPolicy", NetworkPolicy.class), Map.entry("StatefulSet", StatefulSet.class));

  static Path repo;
  static final Map<String, Object> objects = new LinkedHashMap<>();
  static final Map<String, JsonNode> custom = new LinkedHashMap<>();

  @BeforeAll
  static void read() throws IOException {
    repo = Path.of(System.getProperty("dala.test.repo-root", "..")).toAbsolutePath().normalize();
    JsonNode kustomization = YAML.readTree(repo.resolve("k8s/base/kustomization.yaml").toFile());
    for (JsonNode resource : kustomization.get("resources")) {
      Path file = repo.resolve("k8s/base").resolve(resource.asText());
      for (JsonNode doc : YAML.readValues(YAML.getFactory().createParser(file.toFile()), JsonNode.class).readAll()) {
        String kind = doc.get("kind").asText();
        String key = kind + "/" + doc.get("metadata").get("name").asText();
        Class<?> type = KINDS.get(kind);
        if (type == null) {
          custom.put(key, doc);
        } else {
          objects.put(key, YAML.treeToValue(doc, type));
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T get(String key) {
    Object o = objects.get(key);
    assertThat(o).as(key).isNotNull();
    return (T) o;
  }

  @Test
  void everyManifestInBaseIsListedAndUsesOnlyFieldsTheApiKnows() throws Exception {
    List<String> listed = new ArrayList<>();
    YAML.readTree(repo.resolve("k8s/base/kustomization.yaml").toFile()).get("resources")
        .forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(repo.resolve("k8s/base"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).sorted())
          .containsExactlyInAnyOrderElementsOf(listed);
    }
    List<String> unknown = new ArrayList<>();
    for (var e : objects.entrySet()) {
      unknownFields(e.getValue(), e.getKey(), unknown, new IdentityHashMap<>());
    }
    assertThat(unknown).isEmpty();
    assertThat(custom).containsOnlyKeys("Cluster/ota-db");
  }

  @Test
  void theServerReadsEverySettingItIsGiven() throws IOException {
    String properties = Files.readString(repo.resolve("ota-server/src/main/resources/application.properties"));
    Set<String> read = new HashSet<>(Set.of("JAVA_TOOL_OPTIONS", "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"));
    Matcher m = Pattern.compile("\\$\\{(OTA_[A-Z0-9_]+)").matcher(properties);
    while (m.find()) {
      read.add(m.group(1));
    }
    ConfigMap config = get("ConfigMap/ota-server");
    Container server = serverContainer();
    Set<String> given = new HashSet<>(config.getData().keySet());
    server.getEnv().forEach(e -> given.add(e.getName()));
    assertThat(read).containsAll(given);
    assertThat(config.getData().keySet()).noneMatch(k -> k.matches(".*(PASSWORD|SECRET|TOKEN|COOKIE_KEY|ACCESS_KEY).*"));
    for (String secret : List.of("OTA_DB_PASSWORD", "OTA_S3_SECRET_KEY", "OTA_S3_ACCESS_KEY", "OTA_DIST_COOKIE_KEY")) {
      EnvVar env = server.getEnv().stream().filter(e -> e.getName().equals(secret)).findFirst().orElseThrow();
      assertThat(env.getValueFrom().getSecretKeyRef()).as(secret).isNotNull();
    }
  }

  @Test
  void portsAgreeBetweenConfigContainerServicesAndImage() throws IOException {
    ConfigMap config = get("ConfigMap/ota-server");
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ContainerPort p : serverContainer().getPorts()) {
      ports.put(p.getName(), p.getContainerPort());
    }
    assertThat(ports).containsEntry("http", Integer.parseInt(config.getData().get("OTA_HTTP_PORT")))
        .containsEntry("epmd", Integer.parseInt(config.getData().get("OTA_EPMD_PORT")))
        .containsEntry("erlang-dist", Integer.parseInt(config.getData().get("OTA_DIST_PORT")));
    Service dist = get("Service/ota-dist");
    assertThat(dist.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(dist.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactlyInAnyOrder(4369, 4370);
    Deployment deployment = get("Deployment/ota-server");
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    for (String name : List.of("Service/ota-dist", "Service/ota-server")) {
      Service s = get(name);
      assertThat(podLabels).containsAllEntriesOf(s.getSpec().getSelector());
      s.getSpec().getPorts().forEach(p -> assertThat(ports).containsKey(p.getTargetPort().getStrVal()));
    }
    String dockerfile = Files.readString(repo.resolve("ota-server/src/main/docker/Dockerfile"));
    assertThat(dockerfile).contains("EXPOSE 8080 4369 4370");
    assertThat(config.getData().get("OTA_DIST_NODE_NAME")).matches("ota@[a-z0-9.-]+");
  }

  @Test
  void thePodRunsUnprivilegedWithTheKeysReadOnlyAndProbesTheServerServes() {
    Deployment deployment = get("Deployment/ota-server");
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container server = serverContainer();
    assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    ConfigMap config = get("ConfigMap/ota-server");
    var keys = server.getVolumeMounts().stream().filter(v -> v.getName().equals("keys")).findFirst().orElseThrow();
    assertThat(keys.getMountPath()).isEqualTo(config.getData().get("OTA_KEYS_DIR"));
    assertThat(keys.getReadOnly()).isTrue();
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("ota-keys"));
    assertThat(List.of(server.getReadinessProbe(), server.getLivenessProbe(), server.getStartupProbe()))
        .extracting(p -> p.getHttpGet().getPath())
        .containsExactly("/q/health/ready", "/q/health/live", "/q/health/started");
    assertThat(server.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void availabilityRulesLeaveRoomForARollingUpdate() {
    Deployment deployment = get("Deployment/ota-server");
    PodDisruptionBudget pdb = get("PodDisruptionBudget/ota-server");
    HorizontalPodAutoscaler hpa = get("HorizontalPodAutoscaler/ota-server");
    int replicas = deployment.getSpec().getReplicas();
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(replicas);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(replicas);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("ota-server");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
  }

  @Test
  void theDataServicesAreWhereTheServerLooks() {
    ConfigMap config = get("ConfigMap/ota-server");
    JsonNode cluster = custom.get("Cluster/ota-db");
    String clusterName = cluster.get("metadata").get("name").asText();
    assertThat(config.getData().get("OTA_DB_URL")).isEqualTo("postgresql://" + clusterName + "-rw:5432/"
        + cluster.get("spec").get("bootstrap").get("initdb").get("database").asText());
    EnvVar dbUser = serverContainer().getEnv().stream().filter(e -> e.getName().equals("OTA_DB_USER")).findFirst()
        .orElseThrow();
    assertThat(dbUser.getValueFrom().getSecretKeyRef().getName()).isEqualTo(clusterName + "-app");
    assertThat(cluster.get("spec").get("instances").asInt()).isGreaterThanOrEqualTo(3);
    StatefulSet minio = get("StatefulSet/minio");
    assertThat(minio.getSpec().getReplicas()).isEqualTo(4);
    assertThat(minio.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("http://minio-{0...3}.minio-hl.dala-ota.svc.cluster.local/data");
    Service minioService = get("Service/minio");
    assertThat(config.getData().get("OTA_S3_ENDPOINT"))
        .isEqualTo("http://minio:" + minioService.getSpec().getPorts().get(0).getPort());
  }

  @Test
  void theProductionOverlayOnlyChangesWhatExists() throws IOException {
    Path overlay = repo.resolve("k8s/overlays/production");
    JsonNode kustomization = YAML.readTree(overlay.resolve("kustomization.yaml").toFile());
    assertThat(kustomization.get("resources").get(0).asText()).isEqualTo("../../base");
    ConfigMap base = get("ConfigMap/ota-server");
    for (JsonNode patch : kustomization.get("patches")) {
      if (patch.has("path")) {
        ConfigMap patched = YAML.readValue(overlay.resolve(patch.get("path").asText()).toFile(), ConfigMap.class);
        assertThat(base.getData().keySet()).containsAll(patched.getData().keySet());
      } else {
        assertThat(objects).containsKey(patch.get("target").get("kind").asText() + "/"
            + patch.get("target").get("name").asText());
      }
    }
  }

  private static Container serverContainer() {
    Deployment deployment = get("Deployment/ota-server");
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** Fields the model had no property for land in additionalProperties; there must be none. */
  private static void unknownFields(Object value, String path, List<String> out, IdentityHashMap<Object, Boolean> seen)
      throws Exception {
    if (value == null || seen.put(value, true) != null || value instanceof String || value instanceof Number
        || value instanceof Boolean || value.getClass().isEnum()) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (var e : map.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), out, seen);
      }
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", out, seen);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      Object child = getter.invoke(value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": " + extra.keySet());
        }
      } else {
        unknownFields(child, path + "." + getter.getName().substring(3), out, seen);
      }
    }
  }
}
