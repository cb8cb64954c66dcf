defmodule DalaOta.Update.Install do
  @moduledoc """
  Putting a verified bundle in place: written beside the running one, switched to with one
  atomic pointer write, then hot-loaded (`DalaOta.Loader`, all or nothing) or left staged for the
  next start.
  """

  alias DalaOta.{Installed, Loader, Manifest, Update}
  alias DalaOta.Update.Context

  @doc """
  Writes the bundle (downloaded modules plus unchanged ones from the running bundle), switches
  the pointer, and hot-loads or stages it. A hot load that fails changes nothing.
  """
  @spec run(Update.runtime(), Manifest.t(), binary, %{binary => binary}, :hot | :next_start) ::
          {{:ok, Update.outcome()} | {:error, term}, Update.runtime()}
  def run(rt, manifest, envelope, fetched, mode) do
    now = rt.config.clock.now()

    previous =
      if rt.running.sequence > 0,
        do: %{sequence: rt.running.sequence, label: rt.running.label, status: rt.running.status},
        else: nil

    case Installed.install(rt.st, rt.crypto, manifest, envelope, fetched, sources(rt)) do
      :ok ->
        switch(rt, manifest, Installed.new_pointer(manifest, mode, previous, now), mode)

      {:error, reason} ->
        {{:error, {:install_failed, reason}}, rt}
    end
  end

  # The atomic step: once the pointer names the new bundle, the device boots it.
  defp switch(rt, manifest, pointer, mode) do
    case Installed.put_pointer(rt.st, pointer) do
      {:error, reason} ->
        Installed.remove(rt.st, manifest.sequence)
        {{:error, {:install_failed, reason}}, rt}

      :ok ->
        rt =
          Context.save_state(rt, %{
            rt.state
            | highest_sequence: max(rt.state.highest_sequence, manifest.sequence)
          })

        old_pointer = rt.pointer
        rt = %{rt | pointer: pointer}

        case mode do
          :next_start ->
            prune(rt, [manifest.sequence, rt.running.sequence])
            {{:ok, {:staged, manifest.sequence}}, rt}

          :hot ->
            case hot_load(rt, manifest) do
              :ok ->
                prune(rt, [manifest.sequence, rt.running.sequence])

                {{:ok, {:applied, manifest.sequence}},
                 %{
                   rt
                   | running: %{
                       sequence: manifest.sequence,
                       label: manifest.label,
                       status: :pending
                     }
                 }}

              {:error, reason} ->
                # Nothing changed in the VM: the device stays on what it ran, and the bundle
                # that failed to load is not kept.
                Installed.put_pointer(rt.st, old_pointer)
                Installed.remove(rt.st, manifest.sequence)
                {{:error, {:apply_failed, reason}}, %{rt | pointer: old_pointer}}
            end
        end
    end
  end

  # The modules are read back from the installed bundle, checked once more, and every one whose
  # code differs from what is loaded goes in, all or nothing.
  defp hot_load(rt, manifest) do
    with {:ok, items} <- Installed.load_items(rt.st, manifest.sequence) do
      Loader.load(items, code_change: rt.config.code_change, previous: previous_fun(rt))
    end
  end

  # The version a module has now, when it came from the running bundle.
  defp previous_fun(%{running: %{sequence: 0}}), do: fn _ -> :none end

  defp previous_fun(rt) do
    seq = rt.running.sequence

    case Installed.meta(rt.st, seq) do
      {:ok, meta} ->
        by_name = Map.new(meta.modules, &{&1.name, &1})

        fn module ->
          with %{sha256: sha} <- Map.get(by_name, Atom.to_string(module)),
               {:ok, bytes} <- Installed.read_module(rt.st, seq, sha) do
            {:ok, Installed.location(rt.st, seq, sha), bytes}
          else
            _ -> :none
          end
        end

      _ ->
        fn _ -> :none end
    end
  end

  defp prune(rt, keep), do: Installed.prune(rt.st, Enum.filter(keep, &(&1 > 0)))

  @doc "Whether the running or staged bundle already holds a module with this hash."
  @spec have?(Update.runtime(), binary) :: boolean
  def have?(rt, sha), do: Enum.any?(sources(rt), &Installed.has_module?(rt.st, &1, sha))

  # The installed bundles a new one may take unchanged modules from: the running and the staged.
  defp sources(rt) do
    [rt.running.sequence, rt.pointer && rt.pointer.sequence]
    |> Enum.filter(&(is_integer(&1) and &1 > 0))
    |> Enum.uniq()
  end
end
