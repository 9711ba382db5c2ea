import { NewCampaignForm } from '@/ui/campaigns/new-campaign-form'

export const metadata = { title: 'New campaign' }

export default function NewCampaignPage() {
  return <NewCampaignForm />
}
