defmodule DalaOta.Test.Vectors do
  @moduledoc "Reads the shared golden files in test-vectors/ (see its README)."

  alias DalaOta.Test.Paths

  @doc "Rows of a tab-separated vector file, without the comment header, as lists of fields."
  @spec tsv(Path.t()) :: [[binary]]
  def tsv(relative) do
    relative
    |> Paths.vector()
    |> File.read!()
    |> String.split("\n", trim: true)
    |> Enum.reject(&String.starts_with?(&1, "#"))
    |> Enum.map(&String.split(&1, "\t"))
  end

  @doc "The raw 32-byte key in an Ed25519 SubjectPublicKeyInfo PEM file."
  @spec public_key(Path.t()) :: binary
  def public_key(relative) do
    der = relative |> Paths.vector() |> File.read!() |> pem_body()
    binary_part(der, byte_size(der) - 32, 32)
  end

  @doc "The 32-byte seed in an Ed25519 PKCS#8 PEM private key (its last 32 bytes)."
  @spec private_seed(Path.t()) :: binary
  def private_seed(path) do
    der = path |> File.read!() |> pem_body()
    binary_part(der, byte_size(der) - 32, 32)
  end

  @doc "The DER bytes inside a PEM text."
  @spec pem_body(binary) :: binary
  def pem_body(pem) do
    pem
    |> String.split("\n", trim: true)
    |> Enum.reject(&String.starts_with?(&1, "-----"))
    |> Enum.join()
    |> Base.decode64!()
  end

  @doc "Unix seconds of an ISO 8601 instant."
  @spec unix(binary) :: integer
  def unix(iso) do
    {:ok, dt, 0} = DateTime.from_iso8601(iso)
    DateTime.to_unix(dt)
  end

  @doc "A base written as platform:otp:fingerprint."
  @spec base(binary) :: map
  def base(text) do
    [platform, otp, fingerprint] = String.split(text, ":")
    %{platform: platform, otp_release: otp, fingerprint: fingerprint}
  end
end
