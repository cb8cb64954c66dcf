package dev.dala.ota.server.storage;

import dev.dala.ota.server.config.OtaConfig;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * The S3-compatible store that holds module and bundle bytes, through the MinIO client. Every
 * method blocks: call it from a worker thread, never from the event loop.
 */
@ApplicationScoped
public class ObjectStore {

  @Inject
  OtaConfig config;

  private MinioClient client;
  private String bucket;

  void onStart(@Observes StartupEvent event) throws Exception {
    OtaConfig.Storage s = config.storage();
    bucket = s.bucket();
    client = MinioClient.builder().endpoint(s.endpoint()).region(s.region()).credentials(s.accessKey(), s.secretKey())
        .build();
    if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
  }

  public void put(String key, byte[] bytes, String contentType) {
    try {
      client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
          .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).contentType(contentType).build());
    } catch (Exception e) {
      throw new StorageException("cannot store " + key, e);
    }
  }

  /** The object's size, or empty when it does not exist. */
  public OptionalLong size(String key) {
    try {
      return OptionalLong.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
    } catch (ErrorResponseException e) {
      if ("NoSuchKey".equals(e.errorResponse().code())) {
        return OptionalLong.empty();
      }
      throw new StorageException("cannot stat " + key, e);
    } catch (Exception e) {
      throw new StorageException("cannot stat " + key, e);
    }
  }

  /** Bytes [offset, offset + length) of the object; length -1 reads to the end. */
  public InputStream open(String key, long offset, long length) {
    try {
      GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(key).offset(offset);
      if (length >= 0) {
        args.length(length);
      }
      return client.getObject(args.build());
    } catch (Exception e) {
      throw new StorageException("cannot read " + key, e);
    }
  }

  public byte[] read(String key) {
    try (InputStream in = open(key, 0, -1)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new StorageException("cannot read " + key, e);
    }
  }

  public void delete(String key) {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (Exception e) {
      throw new StorageException("cannot delete " + key, e);
    }
  }

  /** A failure of the object store, which the API reports as an internal error. */
  public static final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
