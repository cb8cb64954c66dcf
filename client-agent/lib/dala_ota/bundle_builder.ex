defmodule DalaOta.BundleBuilder do
  @moduledoc """
  Builds a *draft* bundle (docs/formats.md) from compiled `.beam` files, as `ota bundle build`
  does: every module read as the loader reads it, stripped of debug information, documentation
  and compile info (which records absolute paths, so unchanged code gives unchanged bytes and
  deltas carry only real changes) but keeping `Attr`, and listed in a manifest with its SHA-256,
  size and BEAM MD5. The server assigns the sequence, fills in the compatible bases and signs
  it when it publishes.

  Modules of OTP, of Elixir and of the agent itself are refused: they belong to the base.
  """

  @type problem ::
          {:reserved_module
           | :invalid_beam
           | :module_name_mismatch
           | :duplicate_module
           | :no_modules, binary}

  @doc """
  Builds a draft from the `.beam` files directly in `ebin_dirs`. Options: `:app` and `:label`
  (required), `:apply_mode` (`:hot`), `:min_agent_version` (`"0.1.0"`), `:validity_days` (180),
  `:now` (Unix seconds).
  """
  @spec build([Path.t()], keyword) :: {:ok, binary, map} | {:error, [problem]}
  def build(ebin_dirs, opts) do
    reserved = runtime_modules()

    {modules, problems} =
      ebin_dirs
      |> Enum.flat_map(&beam_files/1)
      |> Enum.reduce({%{}, []}, fn path, {acc, problems} ->
        case read(path, reserved) do
          {:ok, name, entry} ->
            if Map.has_key?(acc, name),
              do: {acc, [{:duplicate_module, path} | problems]},
              else: {Map.put(acc, name, entry), problems}

          {:error, problem} ->
            {acc, [problem | problems]}
        end
      end)

    problems = Enum.reverse(problems)

    cond do
      problems != [] -> {:error, problems}
      modules == %{} -> {:error, [{:no_modules, Enum.join(ebin_dirs, ", ")}]}
      true -> {:ok, encode(modules, opts), %{modules: map_size(modules)}}
    end
  end

  @doc "Whether a module name belongs to the agent (and may never ship in a bundle)."
  @spec agent_module?(binary) :: boolean
  def agent_module?(name) do
    name == "Elixir.DalaOta" or String.starts_with?(name, "Elixir.DalaOta.") or
      String.starts_with?(name, "Elixir.Mix.Tasks.DalaOta.") or
      String.starts_with?(name, "dala_ota")
  end

  defp beam_files(dir) do
    case File.ls(dir) do
      {:ok, names} ->
        names
        |> Enum.filter(&String.ends_with?(&1, ".beam"))
        |> Enum.sort()
        |> Enum.map(&Path.join(dir, &1))

      {:error, _} ->
        []
    end
  end

  defp read(path, reserved) do
    expected = Path.basename(path, ".beam")

    with {:ok, bytes} <- File.read(path),
         {:ok, {module, md5}} <- :beam_lib.md5(bytes),
         name = Atom.to_string(module),
         :ok <- if(name == expected, do: :ok, else: {:error, {:module_name_mismatch, path}}),
         :ok <-
           if(agent_module?(name) or MapSet.member?(reserved, name),
             do: {:error, {:reserved_module, name}},
             else: :ok
           ),
         {:ok, {^module, stripped}} <- :beam_lib.strip(bytes, [~c"Attr"]) do
      {:ok, name, %{name: name, bytes: stripped, md5: md5}}
    else
      {:error, {kind, _} = problem} when kind in [:module_name_mismatch, :reserved_module] ->
        {:error, problem}

      _ ->
        {:error, {:invalid_beam, path}}
    end
  end

  defp encode(modules, opts) do
    now = Keyword.get(opts, :now, :os.system_time(:second))
    ordered = modules |> Map.values() |> Enum.sort_by(& &1.name)

    manifest = %{
      format: 1,
      app: Keyword.fetch!(opts, :app),
      sequence: 0,
      label: Keyword.fetch!(opts, :label),
      bases: [],
      modules:
        for m <- ordered do
          %{
            name: m.name,
            sha256: :crypto.hash(:sha256, m.bytes),
            size: byte_size(m.bytes),
            beam_md5: m.md5
          }
        end,
      apply_mode: Keyword.get(opts, :apply_mode, :hot),
      issued_at: now,
      expires_at: now + Keyword.get(opts, :validity_days, 180) * 86_400,
      min_agent_version: Keyword.get(opts, :min_agent_version, "0.1.0")
    }

    envelope = canonical({:dala_ota_signed, 1, :manifest, canonical(manifest), [], []})

    [
      "DOTABNDL",
      <<1::16, byte_size(envelope)::32>>,
      envelope,
      <<length(ordered)::32>>,
      for(
        m <- ordered,
        do: [<<byte_size(m.name)::16>>, m.name, <<byte_size(m.bytes)::32>>, m.bytes]
      )
    ]
    |> IO.iodata_to_binary()
  end

  # The one byte form the server's decoder accepts for signed documents.
  defp canonical(term), do: :erlang.term_to_binary(term, [:deterministic, {:minor_version, 2}])

  # Every module that ships with the OTP and Elixir installations this runs on.
  defp runtime_modules do
    elixir_lib = :elixir |> :code.lib_dir() |> to_string() |> Path.dirname()
    otp_lib = Path.join(to_string(:code.root_dir()), "lib")

    for lib <- [otp_lib, elixir_lib],
        app <- Path.wildcard(Path.join(lib, "*/ebin")),
        beam <- Path.wildcard(Path.join(app, "*.beam")),
        into: MapSet.new(),
        do: Path.basename(beam, ".beam")
  end
end
