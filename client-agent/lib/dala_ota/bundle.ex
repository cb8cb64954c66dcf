defmodule DalaOta.Bundle do
  @moduledoc """
  Verifies a bundle the way the agent accepts one: its envelope through `DalaOta.Manifest`
  (and so through the whole trust chain) before anything else is read, then every module's
  size and SHA-256 against the verified manifest, so no module from another release can be
  mixed in. Modules the caller asks to keep are returned by SHA-256; the rest are only checked.

  The same function verifies the shared test vectors and the agent's HTTP downloads, so both
  paths give the same verdicts.
  """

  alias DalaOta.{BundleFile, Manifest}

  @type problem ::
          Manifest.problem()
          | {:malformed_bundle, binary}
          | {:module_missing, binary}
          | {:module_unexpected, binary}
          | {:module_size_mismatch, binary}
          | {:module_hash_mismatch, binary}

  @type options :: [
          partial: boolean,
          keep: (Manifest.module_entry() -> boolean),
          expect_envelope: binary | nil
        ]

  @doc """
  Verifies `source` for `device`. With `partial: true` the bundle may omit modules (a delta);
  every module it does carry must still match. `keep` selects the manifest entries whose bytes
  are returned. With `expect_envelope:` the bundle's envelope must be exactly those bytes (the
  manifest the signed check-in answer offered), or `:manifest_not_offered` joins the problems.
  """
  @spec verify(
          BundleFile.source(),
          DalaOta.Trust.context(),
          Manifest.device(),
          BundleFile.limits(),
          options
        ) ::
          {:ok, Manifest.t(), %{binary => binary}} | {:error, [problem]}
  def verify(source, trust_ctx, device, limits, opts \\ []) do
    keep = Keyword.get(opts, :keep, fn _ -> false end)
    crypto = trust_ctx.crypto
    expected = Keyword.get(opts, :expect_envelope)

    # The verified manifest starts the accumulator the modules are checked against.
    on_envelope = fn envelope ->
      offered = if expected in [nil, envelope], do: [], else: [:manifest_not_offered]

      case Manifest.verify(envelope, trust_ctx, device) do
        {:ok, manifest, _verified} when offered == [] ->
          {:cont, {manifest, %{}, [], MapSet.new()}}

        {:ok, _manifest, _verified} ->
          {:halt, offered}

        {:error, problems} ->
          # Nothing after an envelope that does not verify is worth reading.
          {:halt, problems ++ offered}
      end
    end

    on_module = fn name, bytes, {manifest, kept, problems, seen} ->
      case Manifest.module(manifest, name) do
        nil ->
          {manifest, kept, [{:module_unexpected, name} | problems], seen}

        entry ->
          {kept, problems} =
            cond do
              byte_size(bytes) != entry.size ->
                {kept, [{:module_size_mismatch, name} | problems]}

              not crypto.equal(crypto.sha256(bytes), entry.sha256) ->
                {kept, [{:module_hash_mismatch, name} | problems]}

              keep.(entry) ->
                {Map.put(kept, entry.sha256, bytes), problems}

              true ->
                {kept, problems}
            end

          {manifest, kept, problems, MapSet.put(seen, name)}
      end
    end

    case BundleFile.read(source, limits, on_envelope, on_module, nil) do
      {:halted, problems} ->
        {:error, problems}

      {:error, problem} ->
        {:error, [problem]}

      {:ok, _envelope, {manifest, kept, problems, seen}} ->
        missing =
          if Keyword.get(opts, :partial, false),
            do: [],
            else:
              for(
                m <- manifest.modules,
                not MapSet.member?(seen, m.name),
                do: {:module_missing, m.name}
              )

        case Enum.reverse(problems) ++ missing do
          [] -> {:ok, manifest, kept}
          all -> {:error, all}
        end
    end
  end

  @doc "The stable code of a problem, as the test vectors name it."
  @spec code(problem) :: atom
  def code({code, _detail}) when is_atom(code), do: code
  def code(code) when is_atom(code), do: code
end
