defmodule DalaOta.Manifest do
  @moduledoc """
  A release manifest (docs/formats.md): verified through `DalaOta.Trust` with the release role,
  decoded only after its signature holds, then held against the device: app, sequence, expiry,
  issue time, base and agent version. Every failed check is reported, not only the first.
  """

  alias DalaOta.{Signed, Trust}

  @enforce_keys [
    :app,
    :sequence,
    :label,
    :bases,
    :modules,
    :apply_mode,
    :issued_at,
    :expires_at,
    :min_agent_version
  ]
  defstruct @enforce_keys

  @type base :: %{platform: binary, otp_release: binary, fingerprint: binary}
  @type module_entry :: %{name: binary, sha256: binary, size: non_neg_integer, beam_md5: binary}
  @type t :: %__MODULE__{
          app: binary,
          sequence: non_neg_integer,
          label: binary,
          bases: [base],
          modules: [module_entry],
          apply_mode: :hot | :next_start,
          issued_at: integer,
          expires_at: integer,
          min_agent_version: binary
        }

  @typedoc """
  What the device knows when it judges a manifest. `floor` is the sequence a new manifest must
  exceed. `app`, `base` and `agent_version` are skipped when nil (the shared test vectors state
  only some of them).
  """
  @type device :: %{
          required(:floor) => non_neg_integer,
          required(:now) => integer,
          optional(:clock_skew) => non_neg_integer,
          optional(:app) => binary | nil,
          optional(:base) => base | nil,
          optional(:agent_version) => binary | nil
        }

  @type problem ::
          Trust.problem()
          | :malformed_manifest
          | :app_mismatch
          | :sequence_not_higher
          | :manifest_expired
          | :manifest_not_yet_valid
          | :base_incompatible
          | :agent_too_old
          | {:reserved_modules, [binary]}

  # The format's own caps, the same as the Java signer's (`Manifest`, `ManifestCodec`): a
  # manifest beyond them is malformed, whatever the device's configured caps allow.
  @max_text 256
  @max_name 1020
  @max_bases 64
  @max_modules 10_000
  @default_skew 300

  @doc "The format's caps: bytes of text and of a module name, bases, modules."
  @spec limits() :: %{
          text: pos_integer,
          name: pos_integer,
          bases: pos_integer,
          modules: pos_integer
        }
  def limits, do: %{text: @max_text, name: @max_name, bases: @max_bases, modules: @max_modules}

  @doc """
  Verifies signed manifest bytes for `device`. Returns the manifest with the verified root, so
  the caller can raise its root floor, or every problem found.
  """
  @spec verify(binary, Trust.context(), device) ::
          {:ok, t, Trust.verified()} | {:error, [problem]}
  def verify(envelope, trust_ctx, device) when is_binary(envelope) do
    with {:ok, document} <- parse(envelope),
         {:ok, verified} <- Trust.verify_document(document, :manifest, :release, trust_ctx),
         {:ok, manifest} <- decode(verified.payload) do
      case check(manifest, device) do
        [] -> {:ok, manifest, verified}
        problems -> {:error, problems}
      end
    end
  end

  @doc "Decodes a verified manifest payload, checking its shape."
  @spec decode(binary) :: {:ok, t} | {:error, [:malformed_manifest]}
  def decode(payload) do
    with {:ok, term} <- Trust.decode_payload(payload),
         {:ok, manifest} <- from_term(term) do
      {:ok, manifest}
    else
      _ -> {:error, [:malformed_manifest]}
    end
  end

  @doc "Every check of the manifest against the device, as problems in a stable order."
  @spec check(t, device) :: [problem]
  def check(%__MODULE__{} = m, device) do
    skew = Map.get(device, :clock_skew, @default_skew)

    [
      {Map.get(device, :app) not in [nil, m.app], :app_mismatch},
      {m.sequence <= device.floor, :sequence_not_higher},
      {device.now >= m.expires_at, :manifest_expired},
      {m.issued_at > device.now + skew, :manifest_not_yet_valid},
      {base_incompatible?(m, Map.get(device, :base)), :base_incompatible},
      {agent_too_old?(m, Map.get(device, :agent_version)), :agent_too_old},
      reserved_modules(m)
    ]
    |> Enum.flat_map(fn {failed, problem} -> if failed, do: [problem], else: [] end)
  end

  # A bundle that would replace the agent, OTP or Elixir is refused before anything is
  # downloaded, so the device reports the reason instead of failing at load time.
  defp reserved_modules(m) do
    names = for %{name: name} <- m.modules, DalaOta.Loader.reserved_name?(name), do: name
    {names != [], {:reserved_modules, names}}
  end

  @doc "The manifest's entry for a module name, or nil."
  @spec module(t, binary) :: module_entry | nil
  def module(%__MODULE__{modules: modules}, name), do: Enum.find(modules, &(&1.name == name))

  @doc "The sum of the sizes the manifest declares."
  @spec total_size(t) :: non_neg_integer
  def total_size(%__MODULE__{modules: modules}), do: Enum.reduce(modules, 0, &(&1.size + &2))

  @doc "Compares `MAJOR.MINOR.PATCH` versions; nil for text that is not one."
  @spec compare_versions(binary, binary) :: :lt | :eq | :gt | nil
  def compare_versions(a, b) do
    with {:ok, x} <- parse_version(a), {:ok, y} <- parse_version(b) do
      cond do
        x < y -> :lt
        x > y -> :gt
        true -> :eq
      end
    else
      _ -> nil
    end
  end

  defp parse(envelope) do
    case Signed.parse(envelope) do
      {:ok, document} ->
        if Signed.unsigned?(document), do: {:error, [:unsigned]}, else: {:ok, document}

      {:error, _} ->
        {:error, [:malformed_document]}
    end
  end

  defp base_incompatible?(_manifest, nil), do: false
  defp base_incompatible?(manifest, base), do: base not in manifest.bases

  defp agent_too_old?(_manifest, nil), do: false

  defp agent_too_old?(manifest, agent),
    do: compare_versions(agent, manifest.min_agent_version) in [:lt, nil]

  defp from_term(%{
         format: 1,
         app: app,
         sequence: sequence,
         label: label,
         bases: bases,
         modules: modules,
         apply_mode: mode,
         issued_at: issued_at,
         expires_at: expires_at,
         min_agent_version: min_agent
       })
       when is_integer(sequence) and sequence >= 0 and is_integer(issued_at) and
              is_integer(expires_at) and
              expires_at > issued_at and mode in [:hot, :next_start] and is_list(bases) and
              is_list(modules) do
    with true <- text?(app) and text?(label) and text?(min_agent),
         {:ok, _} <- parse_version(min_agent),
         true <- length(bases) <= @max_bases and length(modules) <= @max_modules,
         {:ok, bases} <- map_all(bases, &base/1),
         {:ok, modules} <- map_all(modules, &module_entry/1),
         true <- ascending?(modules) do
      {:ok,
       %__MODULE__{
         app: app,
         sequence: sequence,
         label: label,
         bases: bases,
         modules: modules,
         apply_mode: mode,
         issued_at: issued_at,
         expires_at: expires_at,
         min_agent_version: min_agent
       }}
    else
      _ -> :error
    end
  end

  defp from_term(_), do: :error

  defp base(%{platform: p, otp_release: o, fingerprint: f}) do
    if text?(p) and text?(o) and text?(f),
      do: {:ok, %{platform: p, otp_release: o, fingerprint: f}},
      else: :error
  end

  defp base(_), do: :error

  defp module_entry(%{
         name: name,
         sha256: <<_::binary-size(32)>> = sha,
         size: size,
         beam_md5: <<_::binary-size(16)>> = md5
       })
       when is_integer(size) and size >= 0 do
    if is_binary(name) and name != "" and byte_size(name) <= @max_name and String.valid?(name),
      do: {:ok, %{name: name, sha256: sha, size: size, beam_md5: md5}},
      else: :error
  end

  defp module_entry(_), do: :error

  # Name order keeps one release to one byte form; a duplicate name would hide a module.
  defp ascending?(modules) do
    modules
    |> Enum.map(& &1.name)
    |> Enum.chunk_every(2, 1, :discard)
    |> Enum.all?(fn [a, b] -> a < b end)
  end

  defp map_all(items, fun) do
    Enum.reduce_while(items, {:ok, []}, fn item, {:ok, acc} ->
      case fun.(item) do
        {:ok, value} -> {:cont, {:ok, [value | acc]}}
        :error -> {:halt, :error}
      end
    end)
    |> case do
      {:ok, values} -> {:ok, Enum.reverse(values)}
      :error -> :error
    end
  end

  defp text?(value),
    do: is_binary(value) and byte_size(value) <= @max_text and String.valid?(value)

  defp parse_version(text) when is_binary(text) do
    case String.split(text, ".") do
      [_, _, _] = parts ->
        ints = Enum.map(parts, &Integer.parse/1)

        if Enum.all?(ints, &match?({n, ""} when n >= 0, &1)),
          do: {:ok, Enum.map(ints, &elem(&1, 0))},
          else: :error

      _ ->
        :error
    end
  end

  defp parse_version(_), do: :error
end
